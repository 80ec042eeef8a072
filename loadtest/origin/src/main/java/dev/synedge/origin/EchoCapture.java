package dev.synedge.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.zip.CRC32C;

/**
 * Keeps a request exactly as it arrived, head and body with any chunk framing, for
 * {@code /echo}. Owns its buffer until {@link #take()} hands it on or {@link #discard()}.
 */
final class EchoCapture implements BodySink {

    static final int MAX_BYTES = 64 * 1024 * 1024;

    private ByteBuf capture;

    /** Starts with the head, [headStart, headStart + headLength) of {@code source}. */
    EchoCapture(ByteBufAllocator alloc, ByteBuf source, int headStart, int headLength, long contentLength) {
        long expected = headLength + Math.max(0, contentLength);
        int initial = (int) Math.min(expected < 0 ? headLength + 8192 : expected, MAX_BYTES);
        capture = alloc.directBuffer(Math.max(initial, headLength), MAX_BYTES);
        capture.writeBytes(source, headStart, headLength);
    }

    @Override
    public void raw(ByteBuf buf, int index, int length) throws RequestRejected {
        if (capture.readableBytes() + (long) length > MAX_BYTES) {
            throw new RequestRejected(413, "echo takes requests up to " + MAX_BYTES + " bytes");
        }
        capture.writeBytes(buf, index, length);
    }

    /** The captured bytes; the caller owns them from here on. */
    ByteBuf take() {
        ByteBuf taken = capture;
        capture = null;
        return taken;
    }

    @Override
    public void discard() {
        if (capture != null) {
            capture.release();
            capture = null;
        }
    }

    static int crc32c(ByteBuf buf) {
        CRC32C crc = new CRC32C();
        crc.update(buf.nioBuffer(buf.readerIndex(), buf.readableBytes()));
        return (int) crc.getValue();
    }
}
