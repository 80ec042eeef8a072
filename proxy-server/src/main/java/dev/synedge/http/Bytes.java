package dev.synedge.http;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * A per-thread byte array for examining bytes of direct buffers with plain array reads. Its
 * contents live only for the duration of one call: nothing may rely on them afterwards.
 */
final class Scratch {

    private static final FastThreadLocal<byte[]> ARRAY = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[2048];
        }
    };

    private Scratch() {
    }

    /** An array of at least {@code n} bytes. */
    static byte[] get(int n) {
        byte[] a = ARRAY.get();
        if (a.length < n) {
            a = new byte[Math.max(n, a.length * 2)];
            ARRAY.set(a);
        }
        return a;
    }

    /**
     * {@code a} (the array from {@link #get}) if it holds {@code n} bytes, else a larger one
     * with {@code a[0, used)} copied over.
     */
    static byte[] grow(byte[] a, int used, int n) {
        if (a.length >= n) {
            return a;
        }
        byte[] b = new byte[Math.max(n, a.length * 2)];
        System.arraycopy(a, 0, b, 0, used);
        ARRAY.set(b);
        return b;
    }
}
