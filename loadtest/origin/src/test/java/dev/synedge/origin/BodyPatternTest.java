package dev.synedge.origin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The pattern and the checksums the origin announces, against the JDK's CRC32C over real bytes. */
class BodyPatternTest {

    @Test
    void checksumMatchesJdkCrc32cOverTheDocumentedPattern() {
        long[] lengths = {0, 1, 2, 93, 94, 95, 4092, 4093, 4094, 8186, 65536, 1 << 20,
                BodyPattern.BLOCK_LENGTH, BodyPattern.BLOCK_LENGTH + 1, 3 * BodyPattern.BLOCK_LENGTH - 7};
        for (long length : lengths) {
            assertThat(BodyPattern.crc32c(length)).as("length %d", length).isEqualTo(jdkCrc(length));
        }
        Random random = new Random(42);
        for (int i = 0; i < 40; i++) {
            long length = random.nextInt(3 << 20);
            assertThat(BodyPattern.crc32c(length)).as("length %d", length).isEqualTo(jdkCrc(length));
        }
    }

    @Test
    void checksumOfSixtyFourMebibytes() {
        long length = 64L << 20;
        assertThat(BodyPattern.crc32c(length)).isEqualTo(jdkCrc(length));
    }

    @Test
    void byteAtFollowsTheDocumentedFormula() {
        for (long i : new long[] {0, 1, 93, 94, 4092, 4093, 4094, 1L << 33}) {
            assertThat(BodyPattern.byteAt(i)).as("offset %d", i).isEqualTo(ExpectedBody.at(i));
        }
        assertThat(BodyPattern.byteAt(0)).isEqualTo((byte) '!');
        assertThat(BodyPattern.byteAt(93)).isEqualTo((byte) '~');
        assertThat(BodyPattern.byteAt(4093)).isEqualTo((byte) '!');
    }

    @Test
    void blockHoldsWholePeriodsOfThePattern() {
        ByteBuf block = BodyPattern.newBlock(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertThat(block.readableBytes()).isEqualTo(BodyPattern.BLOCK_LENGTH);
            assertThat(BodyPattern.BLOCK_LENGTH % BodyPattern.PERIOD).isZero();
            byte[] bytes = new byte[block.readableBytes()];
            block.getBytes(0, bytes);
            ExpectedBody.assertPattern(bytes);
        } finally {
            block.release();
        }
    }

    private static int jdkCrc(long length) {
        CRC32C crc = new CRC32C();
        byte[] chunk = ExpectedBody.bytes(4093 * 64);
        long left = length;
        while (left > 0) {
            int n = (int) Math.min(left, chunk.length);
            crc.update(chunk, 0, n);
            left -= n;
        }
        return (int) crc.getValue();
    }
}
