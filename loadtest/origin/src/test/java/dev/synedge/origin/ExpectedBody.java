package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * The body content the README promises, computed here from the documented formula (not from
 * the origin's code): byte i is {@code '!' + (i % 4093) % 94}.
 */
final class ExpectedBody {

    private ExpectedBody() {}

    static byte at(long i) {
        return (byte) ('!' + (int) (i % 4093) % 94);
    }

    static byte[] bytes(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = at(i);
        }
        return b;
    }

    static String crcHex(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }

    /** Result of streaming a body through {@link #verify(InputStream)}. */
    record Verified(long length, String crc32c, long firstMismatch) {}

    /**
     * Reads the stream to its end, computing length and CRC32C and noting the first offset
     * that differs from the pattern (-1 when none does). Holds no more than a buffer.
     */
    static Verified verify(InputStream in) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[256 * 1024];
        long offset = 0;
        long mismatch = -1;
        int n;
        while ((n = in.read(buf)) > 0) {
            crc.update(buf, 0, n);
            if (mismatch < 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] != at(offset + i)) {
                        mismatch = offset + i;
                        break;
                    }
                }
            }
            offset += n;
        }
        return new Verified(offset, String.format("%08x", crc.getValue()), mismatch);
    }

    /** Asserts {@code body} is the pattern of its own length. */
    static void assertPattern(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] != at(i)) {
                assertThat(body[i]).as("byte at offset %d", i).isEqualTo(at(i));
            }
        }
    }
}
