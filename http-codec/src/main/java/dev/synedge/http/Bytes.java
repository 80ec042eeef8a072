package dev.synedge.http;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;

/**
 * Byte moves and searches on ByteBufs that allocate nothing, plus a per-thread scratch array.
 *
 * <p>Why: without Unsafe (Netty's default on JDK 25) pooled direct buffers are
 * {@code PooledDirectByteBuf}s, whose {@code getBytes(int, byte[], ...)} and
 * {@code setBytes(int, ByteBuf, ...)} duplicate a ByteBuffer (or build an array of them) per
 * call. The buffers' internal NIO views with the absolute bulk methods of ByteBuffer do the
 * same copies without allocating, with or without Unsafe.
 */
final class Bytes {

    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[2048];
        }
    };

    private Bytes() {
    }

    /**
     * A per-thread array of at least {@code n} bytes. Its contents live only for the duration
     * of one call: nothing may rely on them afterwards.
     */
    static byte[] scratch(int n) {
        byte[] a = SCRATCH.get();
        if (a.length < n) {
            a = new byte[Math.max(n, a.length * 2)];
            SCRATCH.set(a);
        }
        return a;
    }

    /** {@code a} (the scratch array) if it holds {@code n} bytes, else a larger one starting with {@code a[0, used)}. */
    static byte[] growScratch(byte[] a, int used, int n) {
        if (a.length >= n) {
            return a;
        }
        byte[] b = new byte[Math.max(n, a.length * 2)];
        System.arraycopy(a, 0, b, 0, used);
        SCRATCH.set(b);
        return b;
    }

    /** Copies {@code in[index, index+length)} to {@code dst[dstIndex...]}. */
    static void copy(ByteBuf in, int index, byte[] dst, int dstIndex, int length) {
        if (in.hasArray() || in.nioBufferCount() != 1) {
            in.getBytes(index, dst, dstIndex, length);
            return;
        }
        ByteBuffer view = in.internalNioBuffer(index, length);
        view.get(view.position(), dst, dstIndex, length);
    }

    /** Appends {@code src[index, index+length)} to {@code out}. */
    static void write(ByteBuf out, ByteBuf src, int index, int length) {
        out.ensureWritable(length);
        int w = out.writerIndex();
        if (out.hasArray()) {
            copy(src, index, out.array(), out.arrayOffset() + w, length);
        } else if (src.hasArray()) {
            out.setBytes(w, src.array(), src.arrayOffset() + index, length);
        } else if (src.nioBufferCount() != 1 || out.nioBufferCount() != 1) {
            out.setBytes(w, src, index, length);
        } else {
            ByteBuffer to = out.internalNioBuffer(w, length);
            ByteBuffer from = src.internalNioBuffer(index, length);
            to.put(to.position(), from, from.position(), length);
        }
        out.writerIndex(w + length);
    }
}
