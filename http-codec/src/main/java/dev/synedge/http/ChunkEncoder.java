package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * Writes chunked framing (M §7.1) in its one normalized form: lower-case hex size without
 * leading zeros or extensions, CRLF line ends. Used to re-frame a close-delimited upstream body
 * for an HTTP/1.1 client (header before each piece of data, {@link #writeDataEnd} after it,
 * {@link #writeLastChunk} at the end), and by {@link BodyDecoder} when it passes a chunked body
 * through. Never allocates beyond the caller's buffer.
 */
public final class ChunkEncoder {

    private static final byte[] LAST_CHUNK = Ascii.bytes("0\r\n\r\n");
    private static final byte[] LAST_CHUNK_LINE = Ascii.bytes("0\r\n");

    private ChunkEncoder() {
    }

    /** Writes {@code size-in-hex CRLF}: the {@code size} data bytes that follow are the chunk. */
    public static void writeChunkHeader(ByteBuf out, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("a data chunk needs at least one byte: " + size);
        }
        Ascii.writeHex(out, size);
        out.writeShort(('\r' << 8) | '\n');
    }

    /** Writes the CRLF that ends a chunk's data. */
    public static void writeDataEnd(ByteBuf out) {
        out.writeShort(('\r' << 8) | '\n');
    }

    /** Writes the last chunk and an empty trailer section: {@code 0 CRLF CRLF}. */
    public static void writeLastChunk(ByteBuf out) {
        out.writeBytes(LAST_CHUNK);
    }

    /**
     * Writes the last chunk followed by trailer field lines ({@code trailers[0, length)}, each
     * already a valid field line ending in CRLF) and the final CRLF.
     */
    static void writeLastChunk(ByteBuf out, byte[] trailers, int length) {
        if (length == 0) {
            writeLastChunk(out);
            return;
        }
        out.writeBytes(LAST_CHUNK_LINE);
        out.writeBytes(trailers, 0, length);
        writeDataEnd(out);
    }
}
