package dev.synedge.routing;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An open-addressing hash table keyed by ASCII names (hosts, first path segments), looked up
 * case-insensitively from a byte range without allocating. Keys are stored in lower case.
 *
 * <p>The hash runs from the last byte to the first ({@code h = h * 31 + lower(b)}), so that
 * the router gets the hash of every suffix of a host in one right-to-left pass: that is how it
 * tries each {@code .suffix} of the host against the wildcard table.
 *
 * @param <V> the value type
 */
final class NameTable<V> {

    private final byte[][] keys;
    private final int[] hashes;
    private final Object[] values;
    private final int mask;
    private final boolean empty;

    /** @param entries keys (lower case, ASCII) to values */
    NameTable(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
        keys = new byte[capacity][];
        hashes = new int[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        empty = entries.isEmpty();
        for (Map.Entry<String, V> entry : entries.entrySet()) {
            byte[] key = entry.getKey().getBytes(StandardCharsets.US_ASCII);
            int hash = hash(key, 0, key.length);
            int slot = spread(hash) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            hashes[slot] = hash;
            values[slot] = entry.getValue();
        }
    }

    boolean isEmpty() {
        return empty;
    }

    /** The value for the name at {@code bytes[start, end)} whose hash is {@code hash}, or null. */
    @SuppressWarnings("unchecked")
    V get(byte[] bytes, int start, int end, int hash) {
        int length = end - start;
        int slot = spread(hash) & mask;
        byte[] key;
        while ((key = keys[slot]) != null) {
            if (hashes[slot] == hash && key.length == length && equalsLowerCase(bytes, start, key)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /** The hash of {@code bytes[start, end)}, as {@link #get} expects it. */
    static int hash(byte[] bytes, int start, int end) {
        int hash = 0;
        for (int i = end - 1; i >= start; i--) {
            hash = step(hash, bytes[i]);
        }
        return hash;
    }

    /** One step of the right-to-left hash. */
    static int step(int hash, byte b) {
        return hash * 31 + lower(b);
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    private static boolean equalsLowerCase(byte[] bytes, int start, byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (lower(bytes[start + i]) != key[i]) {
                return false;
            }
        }
        return true;
    }
}
