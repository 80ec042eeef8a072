package dev.synedge.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

/**
 * The content of every sized body: byte {@code i} of a body is
 * {@code '!' + (i % 4093) % 94}, printable ASCII from {@code !} to {@code ~} that restarts every
 * 4093 bytes. The period is prime, so it lines up with no page, buffer or chunk size and a
 * body shifted, truncated or spliced at such a boundary no longer matches.
 *
 * <p>The origin serves bodies as slices of one pre-filled direct block whose length is a whole
 * number of periods, so a body of any length is that block repeated and cut, never copied.
 */
public final class BodyPattern {

    /** The pattern's period in bytes. */
    public static final int PERIOD = 4093;

    /** Length of the shared block: 256 periods, just under 1 MiB. */
    static final int BLOCK_LENGTH = PERIOD * 256;

    /** PREFIX_CRC[j] = CRC32C of the first j bytes of the pattern, 0 <= j <= PERIOD. */
    private static final int[] PREFIX_CRC = new int[PERIOD + 1];

    private static final int MAX_CACHED = 4096;
    private static final ConcurrentHashMap<Long, Integer> CRC_BY_LENGTH = new ConcurrentHashMap<>();

    static {
        CRC32C crc = new CRC32C();
        for (int j = 0; j < PERIOD; j++) {
            crc.update(byteAt(j));
            PREFIX_CRC[j + 1] = (int) crc.getValue();
        }
    }

    private BodyPattern() {}

    /** The byte at {@code offset} of every sized body. */
    public static byte byteAt(long offset) {
        return (byte) ('!' + (int) (offset % PERIOD) % 94);
    }

    /** CRC32C of a body of {@code length} bytes, as sent in {@code X-Body-Checksum}. */
    public static int crc32c(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        Integer cached = CRC_BY_LENGTH.get(length);
        if (cached != null) {
            return cached;
        }
        int periods = PREFIX_CRC[PERIOD];
        int rest = (int) (length % PERIOD);
        int crc = Crc32c.combine(Crc32c.repeat(periods, PERIOD, length / PERIOD), PREFIX_CRC[rest], rest);
        if (CRC_BY_LENGTH.size() < MAX_CACHED) {
            CRC_BY_LENGTH.put(length, crc);
        }
        return crc;
    }

    /**
     * Allocates and fills the shared block. The caller owns the returned buffer and hands out
     * retained slices of it; body offset {@code o} lives at block index {@code o % BLOCK_LENGTH}.
     */
    static ByteBuf newBlock(ByteBufAllocator alloc) {
        ByteBuf block = alloc.directBuffer(BLOCK_LENGTH, BLOCK_LENGTH);
        byte[] period = new byte[PERIOD];
        for (int j = 0; j < PERIOD; j++) {
            period[j] = byteAt(j);
        }
        for (int i = 0; i < BLOCK_LENGTH; i += PERIOD) {
            block.writeBytes(period);
        }
        return block;
    }
}
