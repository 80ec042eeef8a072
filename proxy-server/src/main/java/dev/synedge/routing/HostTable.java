package dev.synedge.routing;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An open-addressing hash table from lower-case host bytes to the ascending indices of the
 * routes that name them, looked up straight from a ByteBuf range, case-insensitively and
 * without allocating.
 *
 * <p>The hash runs from the last byte to the first ({@code h = h * 31 + lower(b)}), so that
 * the router gets the hash of every suffix of a host in one right-to-left pass: that is how it
 * tries each {@code .suffix} of the host against the wildcard table.
 */
final class HostTable {

    private final byte[][] keys;
    private final int[] hashes;
    private final int[][] values;
    private final int mask;

    HostTable(Map<String, int[]> entries) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
        keys = new byte[capacity][];
        hashes = new int[capacity];
        values = new int[capacity][];
        mask = capacity - 1;
        for (Map.Entry<String, int[]> entry : entries.entrySet()) {
            byte[] key = entry.getKey().getBytes(StandardCharsets.US_ASCII);
            int hash = hash(key);
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
        for (byte[] key : keys) {
            if (key != null) {
                return false;
            }
        }
        return true;
    }

    /** The route indices for the host at {@code [start, end)} whose hash is {@code hash}, or null. */
    int[] get(ByteBuf buf, int start, int end, int hash) {
        int length = end - start;
        int slot = spread(hash) & mask;
        byte[] key;
        while ((key = keys[slot]) != null) {
            if (hashes[slot] == hash && key.length == length && equalsLowerCase(buf, start, key)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /** One step of the right-to-left hash. */
    static int step(int hash, byte b) {
        return hash * 31 + lower(b);
    }

    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b | 0x20) : b;
    }

    private static int hash(byte[] key) {
        int hash = 0;
        for (int i = key.length - 1; i >= 0; i--) {
            hash = step(hash, key[i]);
        }
        return hash;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    private static boolean equalsLowerCase(ByteBuf buf, int start, byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (lower(buf.getByte(start + i)) != key[i]) {
                return false;
            }
        }
        return true;
    }
}
