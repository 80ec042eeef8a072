package dev.synedge.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * What every connection of one origin shares: its counters and the pre-filled bodies. Owns the
 * buffers until {@link #release()}.
 */
final class OriginRuntime {

    static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
    static final int HELLO_CRC = crc32c(HELLO);

    final Counters counters = new Counters();
    /** The pattern block that sized bodies are sliced from. */
    final ByteBuf block;
    /** The /hello body. */
    final ByteBuf hello;
    /** Takes back a response counted when issued whose last write failed. */
    final ChannelFutureListener uncountFailedResponse = f -> {
        if (!f.isSuccess()) {
            counters.responses.decrement();
        }
    };

    OriginRuntime(ByteBufAllocator alloc) {
        block = BodyPattern.newBlock(alloc);
        hello = alloc.directBuffer(HELLO.length).writeBytes(HELLO);
    }

    void release() {
        block.release();
        hello.release();
    }

    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
