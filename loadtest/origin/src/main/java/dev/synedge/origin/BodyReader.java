package dev.synedge.origin;

import io.netty.buffer.ByteBuf;

/**
 * Reads one request body, framed by Content-Length or chunked (RFC 9112 §7.1), from a buffer
 * that grows as bytes arrive, handing raw and de-chunked ranges to a {@link BodySink}.
 *
 * <p>Chunk lines are checked strictly: hex digits only (no {@code 0x}, no leading whitespace),
 * at most 15 significant digits, extensions bounded and free of CTLs, every line ending in
 * CRLF, data followed by exactly CRLF; trailer fields are shape-checked like header fields.
 */
final class BodyReader {

    static final int MAX_CHUNK_LINE = 4096;
    static final int MAX_TRAILERS = 16 * 1024;
    private static final int MAX_SIZE_DIGITS = 15;

    private enum State { LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, DONE }

    private State state = State.DONE;
    private long remaining;
    private int trailerBytes;
    private long dataBytes;

    void startLength(long length) {
        state = length == 0 ? State.DONE : State.LENGTH;
        remaining = length;
        dataBytes = 0;
    }

    void startChunked() {
        state = State.CHUNK_SIZE;
        remaining = 0;
        trailerBytes = 0;
        dataBytes = 0;
    }

    boolean done() {
        return state == State.DONE;
    }

    /** Content bytes read so far for the current body. */
    long dataBytes() {
        return dataBytes;
    }

    /**
     * Consumes what it can from {@code in}, moving its reader index; returns true once the body
     * is complete (the bytes after it stay in {@code in}).
     */
    boolean read(ByteBuf in, BodySink sink) throws RequestRejected {
        for (;;) {
            switch (state) {
                case DONE -> {
                    return true;
                }
                case LENGTH, CHUNK_DATA -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    if (n == 0) {
                        return false;
                    }
                    int index = in.readerIndex();
                    sink.raw(in, index, n);
                    sink.data(in, index, n);
                    in.skipBytes(n);
                    remaining -= n;
                    dataBytes += n;
                    if (remaining == 0) {
                        state = state == State.LENGTH ? State.DONE : State.CHUNK_DATA_END;
                    }
                }
                case CHUNK_SIZE -> {
                    int lineEnd = findLine(in, MAX_CHUNK_LINE, "chunk size line");
                    if (lineEnd < 0) {
                        return false;
                    }
                    long size = parseChunkSize(in, in.readerIndex(), lineEnd);
                    consumeRaw(in, lineEnd + 2, sink);
                    if (size == 0) {
                        state = State.TRAILERS;
                    } else {
                        remaining = size;
                        state = State.CHUNK_DATA;
                    }
                }
                case CHUNK_DATA_END -> {
                    if (in.readableBytes() < 2) {
                        return false;
                    }
                    int index = in.readerIndex();
                    if (in.getByte(index) != Ascii.CR || in.getByte(index + 1) != Ascii.LF) {
                        throw RequestRejected.badRequest("chunk data not followed by CRLF");
                    }
                    consumeRaw(in, index + 2, sink);
                    state = State.CHUNK_SIZE;
                }
                case TRAILERS -> {
                    int lineEnd = findLine(in, MAX_TRAILERS - trailerBytes, "trailer section");
                    if (lineEnd < 0) {
                        return false;
                    }
                    int start = in.readerIndex();
                    trailerBytes += lineEnd + 2 - start;
                    if (lineEnd > start) {
                        RequestHeadParser.checkField(in, start, lineEnd);
                    } else {
                        state = State.DONE;
                    }
                    consumeRaw(in, lineEnd + 2, sink);
                }
            }
        }
    }

    /** Index of the CR ending the line at the reader index, or -1 if the line is incomplete. */
    private static int findLine(ByteBuf in, int maxLength, String what) throws RequestRejected {
        int start = in.readerIndex();
        int limit = Math.min(in.writerIndex(), start + maxLength + 2);
        int lf = in.indexOf(start, limit, Ascii.LF);
        if (lf < 0) {
            if (in.readableBytes() > maxLength + 1) {
                throw RequestRejected.badRequest(what + " too long");
            }
            return -1;
        }
        if (lf == start || in.getByte(lf - 1) != Ascii.CR) {
            throw RequestRejected.badRequest(what + " ends with a bare LF");
        }
        for (int i = start; i < lf - 1; i++) {
            if (in.getByte(i) == Ascii.CR) {
                throw RequestRejected.badRequest(what + " contains a bare CR");
            }
        }
        return lf - 1;
    }

    private static long parseChunkSize(ByteBuf in, int start, int end) throws RequestRejected {
        long size = 0;
        int significant = 0;
        int i = start;
        for (; i < end; i++) {
            int digit = Character.digit(in.getByte(i), 16);
            if (digit < 0) {
                break;
            }
            if (significant > 0 || digit != 0) {
                if (++significant > MAX_SIZE_DIGITS) {
                    throw RequestRejected.badRequest("chunk size too large");
                }
            }
            size = size << 4 | digit;
        }
        if (i == start) {
            throw RequestRejected.badRequest("chunk size is not hex");
        }
        int ext = i;
        while (ext < end && Ascii.isWhitespace(in.getByte(ext))) {
            ext++;
        }
        if (ext < end) {
            if (in.getByte(ext) != ';') {
                throw RequestRejected.badRequest("malformed chunk size line");
            }
            for (int k = ext + 1; k < end; k++) {
                if (!Ascii.isFieldValueByte(in.getUnsignedByte(k))) {
                    throw RequestRejected.badRequest("invalid character in chunk extension");
                }
            }
        } else if (ext > i) {
            throw RequestRejected.badRequest("whitespace after chunk size without an extension");
        }
        return size;
    }

    private static void consumeRaw(ByteBuf in, int newReaderIndex, BodySink sink) throws RequestRejected {
        int index = in.readerIndex();
        sink.raw(in, index, newReaderIndex - index);
        in.readerIndex(newReaderIndex);
    }
}
