package dev.synedge.origin;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32C;

/** Measures an {@code /upload} body as it streams past: its length and CRC32C, nothing kept. */
final class UploadDigest implements BodySink {

    private final CRC32C crc = new CRC32C();
    private long length;

    @Override
    public void data(ByteBuf buf, int index, int length) {
        crc.update(buf.nioBuffer(index, length));
        this.length += length;
    }

    long length() {
        return length;
    }

    int crc32c() {
        return (int) crc.getValue();
    }
}
