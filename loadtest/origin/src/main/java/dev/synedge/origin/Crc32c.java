package dev.synedge.origin;

/**
 * CRC32C (Castagnoli) arithmetic that {@link java.util.zip.CRC32C} lacks: the CRC of a
 * concatenation from the CRCs of its parts. With it the checksum of a pattern body of any
 * length costs O(log length) multiplications in GF(2)[x] instead of a pass over the bytes, so
 * random sizes get their checksum without touching the body.
 *
 * <p>Values are in the reflected bit order {@code java.util.zip.CRC32C} uses: bit 31 holds
 * the coefficient of x^0.
 */
final class Crc32c {

    /** The Castagnoli polynomial, reflected. */
    private static final int POLY = 0x82F63B78;

    /** X2N[k] = x^(2^k) mod P. */
    private static final int[] X2N = new int[32];

    static {
        X2N[0] = 1 << 30;
        for (int k = 1; k < X2N.length; k++) {
            X2N[k] = multiply(X2N[k - 1], X2N[k - 1]);
        }
    }

    private Crc32c() {}

    /**
     * The CRC32C of A followed by B, given crc(A), crc(B) and the length of B. The CRC of the
     * empty string is 0, so {@code combine(0, crcB, lenB) == crcB}.
     */
    static int combine(int crcA, int crcB, long lengthB) {
        return multiply(xPow8n(lengthB), crcA) ^ crcB;
    }

    /** The CRC32C of {@code count} copies of a block whose CRC is {@code crcBlock}. */
    static int repeat(int crcBlock, long blockLength, long count) {
        int result = 0;
        int power = crcBlock;
        long powerLength = blockLength;
        for (long left = count; left != 0; left >>>= 1) {
            if ((left & 1) != 0) {
                result = combine(result, power, powerLength);
            }
            if (left > 1) {
                power = combine(power, power, powerLength);
                powerLength <<= 1;
            }
        }
        return result;
    }

    /** a(x) * b(x) mod P. */
    private static int multiply(int a, int b) {
        if (a == 0) {
            return 0;
        }
        int m = 1 << 31;
        int product = 0;
        for (;;) {
            if ((a & m) != 0) {
                product ^= b;
                if ((a & (m - 1)) == 0) {
                    return product;
                }
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
    }

    /** x^(8n) mod P: the shift a CRC undergoes when n more bytes follow. */
    private static int xPow8n(long n) {
        int p = 1 << 31;
        int k = 3;
        for (long left = n; left != 0; left >>>= 1, k++) {
            if ((left & 1) != 0) {
                p = multiply(X2N[k & 31], p);
            }
        }
        return p;
    }
}
