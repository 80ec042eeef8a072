package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Page-sized segments: the path MTU probe, the advertised MSS the sender then uses, and what
 * that does for zero-copy receive when the sender's segments arrive as whole pages (a
 * {@code MSG_ZEROCOPY} sender on loopback).
 */
class PageSegmentsTest {

    private static final int SIZE = 1 << 20;
    private static final long MAX_MAPPING = 512 << 10;
    /** The most the kernel copies in a receive; all of it when no more is queued. */
    private static final int COPY_BUFFER = 16 << 10;

    @Test
    void segmentSizesCarryWholePagesWhereThePathHasRoom() {
        assertThat(PageSegments.maxSegmentFor(65536, StandardProtocolFamily.INET, true))
                .as("loopback: 7 pages, the most TCP_MAXSEG takes").isEqualTo(7 * 4096 + 12);
        assertThat(PageSegments.maxSegmentFor(9000, StandardProtocolFamily.INET, true)).isEqualTo(2 * 4096 + 12);
        assertThat(PageSegments.maxSegmentFor(9000, StandardProtocolFamily.INET6, true)).isEqualTo(2 * 4096 + 12);
        assertThat(PageSegments.maxSegmentFor(4096 + 52, StandardProtocolFamily.INET, true)).isEqualTo(4096 + 12);
        assertThat(PageSegments.maxSegmentFor(4096 + 51, StandardProtocolFamily.INET, true)).isZero();
        assertThat(PageSegments.maxSegmentFor(4096 + 72, StandardProtocolFamily.INET6, true)).isEqualTo(4096 + 12);
        assertThat(PageSegments.maxSegmentFor(4096 + 71, StandardProtocolFamily.INET6, true)).isZero();
        assertThat(PageSegments.maxSegmentFor(1500, StandardProtocolFamily.INET, true)).as("Ethernet").isZero();
        assertThat(PageSegments.maxSegmentFor(65536, StandardProtocolFamily.INET, false)).isEqualTo(7 * 4096);
    }

    @Test
    void thePathMtuTowardLoopbackIsTheLoopbackDevicesMtu() throws Exception {
        int lo = Integer.parseInt(Files.readString(Path.of("/sys/class/net/lo/mtu")).trim());
        assertThat(PageSegments.pathMtu(new InetSocketAddress("127.0.0.1", 9))).as("IPv4 caps it at 65535")
                .isEqualTo(Math.min(lo, 65535));
        assertThat(PageSegments.pathMtu(new InetSocketAddress("::1", 9))).isEqualTo(lo);
    }

    @Test
    void thePeerSendsSegmentsOfTheAdvertisedSize() throws Exception {
        int advertised = PageSegments.maxSegmentFor(65536, StandardProtocolFamily.INET, true);
        try (Loopback.Connected pair = connect(advertised)) {
            Loopback.writeFully(pair.accepted(), Native.allocate(SIZE).segment());
            Loopback.awaitReceived(pair.client(), SIZE);
            assertThat(TcpInfo.read(pair.accepted().fd()).sendMss()).as("sender's MSS").isEqualTo(7 * 4096);
            assertThat(TcpInfo.read(pair.client().fd()).receiveMss()).as("largest segment seen").isEqualTo(7 * 4096);
        }
    }

    /**
     * From a sender whose segments arrive as whole pages, advertised page-sized segments map
     * every byte and one receive maps many segments; the loopback MSS (65483 bytes, a ragged
     * last page in each segment) takes a receive per segment and leaves bytes to copy.
     */
    @Test
    void pageSizedSegmentsFromWholePagesMapEveryByteInFewReceives() throws Exception {
        Received aligned = receiveFromZeroCopySender(PageSegments.maxSegmentFor(65536, StandardProtocolFamily.INET, true));
        Received plain = receiveFromZeroCopySender(0);
        System.out.printf("page-sized segments: %d receives, %d of %d bytes mapped; loopback MSS: %d receives, %d mapped%n",
                aligned.receives, aligned.mapped, SIZE, plain.receives, plain.mapped);
        assertThat(aligned.crc).isEqualTo(plain.crc).isEqualTo(crcOf(pattern()));
        assertThat(aligned.mapped).as("every byte maps but the last copy buffer's worth, which the kernel copies")
                .isEqualTo(SIZE - COPY_BUFFER);
        assertThat(aligned.receives).as("receives of 512 KiB").isEqualTo(SIZE / MAX_MAPPING);
        assertThat(plain.mapped).as("ragged segment ends are copied").isLessThan(aligned.mapped);
        assertThat(plain.receives).as("one receive per segment at least").isGreaterThanOrEqualTo(SIZE / 65483);
    }

    private record Received(int receives, long mapped, long crc) {}

    /** A loopback connection whose client advertised {@code advertised} as its MSS (0: the default). */
    private static Loopback.Connected connect(int advertised) throws NativeException {
        return Loopback.Connected.tcp(client -> {
            SocketOptions.setReceiveBufferSize(client.fd(), 4 << 20);
            if (advertised > 0) {
                PageSegments.advertise(client.fd(), advertised);
            }
        });
    }

    /** Sends {@link #pattern()} with MSG_ZEROCOPY, then receives it all, once queued, by mapping. */
    private static Received receiveFromZeroCopySender(int advertised) throws Exception {
        try (Loopback.Connected pair = connect(advertised);
             ZeroCopyReceiver receiver = ZeroCopyReceiver.open(pair.client().fd(), 2 << 20)) {
            ZeroCopySender sender = ZeroCopySender.enable(pair.accepted().fd());
            Native data = pattern();
            long at = 0;
            while (at < SIZE) {
                long n = sender.send(data.address() + at, SIZE - at);
                if (n == LinuxSocket.WOULD_BLOCK) {
                    Loopback.pause();
                } else {
                    at += n;
                }
            }
            Loopback.awaitReceived(pair.client(), SIZE);
            Loopback.await("zero-copy completions", () -> {
                try {
                    sender.reap();
                } catch (NativeException e) {
                    throw new AssertionError(e);
                }
                return sender.completed() == sender.sends();
            });
            assertThat(sender.sends()).isPositive();
            assertThat(pair.accepted().awaitReadable(0)).as("reaped, nothing wakes a wait").isFalse();

            CRC32C crc = new CRC32C();
            Native copyBuffer = Native.allocate(SIZE);
            Native kernelCopies = Native.allocate(COPY_BUFFER);
            long got = 0;
            long mapped = 0;
            int receives = 0;
            while (got < SIZE) {
                ZeroCopyReceiver.Receipt receipt = receiver.receive(MAX_MAPPING, kernelCopies.address(), COPY_BUFFER);
                receives++;
                if (receipt.mappedBytes() > 0) {
                    crc.update(receipt.mapped().asByteBuffer());
                    receiver.release(receipt.mapped());
                    mapped += receipt.mappedBytes();
                }
                crc.update(kernelCopies.segment().asSlice(0, receipt.copied()).asByteBuffer());
                got += receipt.mappedBytes() + receipt.copied();
                int toCopy = receipt.copyBytes();
                while (toCopy > 0) {
                    int n = pair.client().read(copyBuffer.address(), toCopy);
                    assertThat(n).as("skipped bytes are readable").isPositive();
                    crc.update(copyBuffer.segment().asSlice(0, n).asByteBuffer());
                    toCopy -= n;
                    got += n;
                }
            }
            return new Received(receives, mapped, crc.getValue());
        }
    }

    private static Native pattern() {
        Native data = Native.allocate(SIZE);
        for (int i = 0; i < SIZE; i += 4) {
            data.segment().set(ValueLayout.JAVA_INT_UNALIGNED, i, i * 31 + 7);
        }
        return data;
    }

    private static long crcOf(Native data) {
        CRC32C crc = new CRC32C();
        crc.update(data.segment().asByteBuffer());
        return crc.getValue();
    }
}
