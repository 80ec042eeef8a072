package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.testkit.KernelRequirement;
import dev.synedge.testkit.Sysctl;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * TCP zero-copy receive of a 16 MiB transfer over loopback. Pages map only when the sender
 * used order-0 pages, which on loopback takes {@code net.core.high_order_alloc_disable=1}.
 */
class ZeroCopyReceiverTest {

    private static final int SIZE = 16 << 20;
    private static final long WINDOW = 2 << 20;

    @Test
    @SuppressWarnings("try")
    void withOrderZeroPagesMostBytesMapAndAllArriveExactly() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "1")) {
            Transfer result = transfer(false, Long.MAX_VALUE, 0);
            System.out.printf("zero-copy, order-0 pages: %.1f%% of %d bytes mapped%n", 100.0 * result.mapped / SIZE, SIZE);
            assertThat(result.received).isEqualTo(SIZE);
            assertThat(result.crc).isEqualTo(expectedCrc());
            assertThat((double) result.mapped / SIZE).as("share of bytes mapped").isGreaterThanOrEqualTo(0.80);
        }
    }

    /**
     * A consumer that holds on to what it received until the window is full, like a slow
     * client write: later mappings must not disturb bytes still held, and the checksum is
     * taken only when bytes are released.
     */
    @Test
    @SuppressWarnings("try")
    void aLaggingConsumerWrapsTheRingWithoutLosingBytes() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "1")) {
            Transfer result = transfer(true, Long.MAX_VALUE, 0);
            assertThat(result.received).isEqualTo(SIZE);
            assertThat(result.crc).isEqualTo(expectedCrc());
            assertThat(result.maxHeld).isLessThanOrEqualTo(WINDOW);
            assertThat(result.windowFullSeen).as("the ring filled up and wrapped").isPositive();
        }
    }

    @Test
    @SuppressWarnings("try")
    void withCompoundPagesEveryByteStillArrivesByCopy() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "0")) {
            Transfer result = transfer(false, Long.MAX_VALUE, 0);
            System.out.printf("zero-copy, compound pages: %.1f%% of %d bytes mapped%n", 100.0 * result.mapped / SIZE, SIZE);
            assertThat(result.received).isEqualTo(SIZE);
            assertThat(result.crc).isEqualTo(expectedCrc());
            assertThat(result.copied).isGreaterThan(0);
            assertThat(result.mapped + result.copied).isEqualTo(SIZE);
        }
    }

    @Test
    @SuppressWarnings("try")
    void aCappedReceiveMapsNoMoreThanItsCap() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "1")) {
            Transfer result = transfer(false, (64 << 10) + 100, 0);
            assertThat(result.received).isEqualTo(SIZE);
            assertThat(result.crc).isEqualTo(expectedCrc());
            assertThat(result.mapped).isPositive();
            assertThat(result.largestMapping).as("largest single mapping").isLessThanOrEqualTo(64 << 10);
        }
    }

    /** With a copy buffer the kernel copies what it will not map in the same call. */
    @Test
    @SuppressWarnings("try")
    void aCopyBufferTakesTheBytesThatDoNotMap() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "1")) {
            Transfer result = transfer(false, Long.MAX_VALUE, 8 << 10);
            assertThat(result.received).isEqualTo(SIZE);
            assertThat(result.crc).isEqualTo(expectedCrc());
            assertThat(result.mapped).as("mapped").isGreaterThan(SIZE / 2);
            assertThat(result.copiedByKernel).as("copied by the kernel into the buffer").isPositive();
        }
    }

    @Test
    void mptcpSocketsCannotBeMapped() throws Exception {
        KernelRequirement.require(KernelState.mptcpEnabled(), "MPTCP", "net.mptcp.enabled is not 1");
        try (LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.MPTCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.MPTCP)) {
            client.connect(server.localAddress());
            try (LinuxSocket accepted = Loopback.accept(server)) {
                assertThat(Mptcp.isMptcp(client.fd())).isTrue();
                assertThatThrownBy(() -> ZeroCopyReceiver.open(client.fd(), WINDOW))
                        .isInstanceOf(NativeException.class)
                        .hasMessage("mmap(TCP_ZEROCOPY_RECEIVE window of 2097152 bytes): ENODEV");
            }
        }
    }

    @Test
    void releasesMustComeInReceiveOrder() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "1");
             Loopback.Connected c = Loopback.Connected.tcp();
             ZeroCopyReceiver receiver = ZeroCopyReceiver.open(c.client().fd(), WINDOW)) {
            LinuxSocket client = c.client();
            LinuxSocket accepted = c.accepted();
            Native data = Native.allocate(256 << 10);
            Loopback.writeFully(accepted, data.segment());
            ZeroCopyReceiver.Receipt first = receiveMapped(receiver, client);
            ZeroCopyReceiver.Receipt second = receiveMapped(receiver, client);
            assertThatThrownBy(() -> receiver.release(second.mapped()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order");
            receiver.release(first.mapped());
            receiver.release(second.mapped());
            assertThat(receiver.mappedBytes()).isZero();
        }
    }

    /**
     * The queue hint a receipt carries, which lets a reader stop without asking again: what is
     * left after a capped receive, zero once everything is taken while the peer stays open,
     * and one for an end of stream not yet seen.
     */
    @Test
    void theQueueHintCountsWhatIsLeftAndAnUnreadEndOfStream() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set("net.core.high_order_alloc_disable", "1");
             Loopback.Connected c = Loopback.Connected.tcp();
             ZeroCopyReceiver receiver = ZeroCopyReceiver.open(c.client().fd(), WINDOW)) {
            LinuxSocket client = c.client();
            LinuxSocket accepted = c.accepted();
            int size = 32 << 10;
            Loopback.writeFully(accepted, Native.allocate(size).segment());
            Loopback.awaitReceived(client, size);
            ZeroCopyReceiver.Receipt capped = receiver.receive(16 << 10);
            long taken = capped.mappedBytes() + capped.copied();
            assertThat(capped.queued()).as("left after a capped receive").isEqualTo(size - (int) taken);
            assertThat(capped.moreQueued()).isTrue();
            receiver.release(capped.mapped());
            Native scratch = Native.allocate(size);
            long left = size - taken;
            while (left > 0) {
                ZeroCopyReceiver.Receipt next = receiver.receive();
                left -= next.mappedBytes() + next.copied();
                if (next.copyBytes() > 0) {
                    left -= client.read(scratch.address(), next.copyBytes());
                }
                if (next.mappedBytes() > 0) {
                    receiver.release(next.mapped());
                }
                if (left == 0) {
                    assertThat(next.queued() - next.copyBytes()).as("nothing left, peer open").isZero();
                    assertThat(next.moreQueued()).isFalse();
                }
            }
            Loopback.writeFully(accepted, Native.allocate(8 << 10).segment());
            accepted.shutdownOutput();
            Loopback.awaitReceived(client, size + (8 << 10));
            ZeroCopyReceiver.Receipt last = receiver.receive();
            if (last.copyBytes() > 0) {
                client.read(scratch.address(), last.copyBytes());
            }
            assertThat(last.queued() - last.copyBytes()).as("an unread end of stream counts one").isEqualTo(1);
            assertThat(last.moreQueued()).as("so a reader asks again and sees it").isTrue();
            assertThat(receiver.receive().eof()).isTrue();
        }
    }

    /** Receives until something maps, reading skipped bytes by copy on the way. */
    private static ZeroCopyReceiver.Receipt receiveMapped(ZeroCopyReceiver receiver, LinuxSocket socket) throws Exception {
        Native scratch = Native.allocate(1 << 20);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            ZeroCopyReceiver.Receipt receipt = receiver.receive();
            if (receipt.copyBytes() > 0) {
                socket.read(scratch.address(), receipt.copyBytes());
            }
            if (receipt.mappedBytes() > 0) {
                return receipt;
            }
            Loopback.pause();
        }
        throw new AssertionError("nothing mapped within 5 s");
    }

    private record Transfer(long received, long mapped, long copied, long crc, long maxHeld, int windowFullSeen,
                            long largestMapping, long copiedByKernel) {}

    private static Transfer transfer(boolean lagging, long cap, int kernelCopy) throws Exception {
        try (LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.TCP, 0);
             LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.TCP)) {
            client.connect(server.localAddress());
            LinuxSocket accepted = Loopback.accept(server);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try (accepted) {
                    Loopback.writeFully(accepted, pattern().segment());
                    accepted.shutdownOutput();
                } catch (NativeException e) {
                    throw new AssertionError(e);
                }
            });
            Transfer result = receiveAll(client, lagging, cap, kernelCopy);
            sender.get(10, TimeUnit.SECONDS);
            return result;
        }
    }

    /**
     * Receives to EOF. Bytes are checksummed when given back, in stream order: mapped
     * segments on release, copied bytes in their place between them. A lagging consumer gives
     * back only when the window is full (and at the end); a prompt one at once.
     */
    private static Transfer receiveAll(LinuxSocket socket, boolean lagging, long cap, int kernelCopy)
            throws Exception {
        CRC32C crc = new CRC32C();
        ArrayDeque<Object> held = new ArrayDeque<>();
        Native copyBuffer = Native.allocate(1 << 20);
        long mapped = 0;
        long copied = 0;
        long maxHeld = 0;
        int windowFull = 0;
        long largestMapping = 0;
        long copiedByKernel = 0;
        Native kernelCopies = Native.allocate(Math.max(kernelCopy, 1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (ZeroCopyReceiver receiver = ZeroCopyReceiver.open(socket.fd(), WINDOW)) {
            while (true) {
                assertThat(System.nanoTime()).as("transfer finished in time").isLessThan(deadline);
                ZeroCopyReceiver.Receipt receipt = kernelCopy > 0
                        ? receiver.receive(cap, kernelCopies.address(), kernelCopy) : receiver.receive(cap);
                if (receipt.windowFull()) {
                    windowFull++;
                    giveBack(receiver, held, crc, held.size() / 2 + 1);
                    continue;
                }
                if (receipt.mappedBytes() > 0) {
                    held.add(receipt.mapped());
                    mapped += receipt.mappedBytes();
                    maxHeld = Math.max(maxHeld, receiver.mappedBytes());
                    largestMapping = Math.max(largestMapping, receipt.mappedBytes());
                }
                if (receipt.copied() > 0) {
                    held.add(kernelCopies.segment().asSlice(0, receipt.copied()).toArray(ValueLayout.JAVA_BYTE));
                    copied += receipt.copied();
                    copiedByKernel += receipt.copied();
                }
                int toCopy = receipt.copyBytes();
                while (toCopy > 0) {
                    int n = socket.read(copyBuffer.address(), Math.min(toCopy, (int) copyBuffer.size()));
                    assertThat(n).as("skipped bytes are readable").isPositive();
                    held.add(copyBuffer.segment().asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                    copied += n;
                    toCopy -= n;
                }
                if (!lagging) {
                    giveBack(receiver, held, crc, held.size());
                }
                if (receipt.eof()) {
                    giveBack(receiver, held, crc, held.size());
                    return new Transfer(mapped + copied, mapped, copied, crc.getValue(), maxHeld, windowFull,
                            largestMapping, copiedByKernel);
                }
                if (receipt.isEmpty()) {
                    Loopback.pause();
                }
            }
        }
    }

    private static void giveBack(ZeroCopyReceiver receiver, ArrayDeque<Object> held, CRC32C crc, int count)
            throws NativeException {
        for (int i = 0; i < count && !held.isEmpty(); i++) {
            Object next = held.poll();
            if (next instanceof MemorySegment pages) {
                crc.update(pages.asByteBuffer());
                receiver.release(pages);
            } else {
                crc.update((byte[]) next);
            }
        }
    }


    /** Bytes that differ page to page, so a misplaced page changes the checksum. */
    private static Native pattern() {
        Native data = Native.allocate(SIZE);
        for (long i = 0; i < SIZE; i += 4) {
            data.segment().set(ValueLayout.JAVA_INT_UNALIGNED, i, (int) (i * 2654435761L >>> 7));
        }
        return data;
    }

    private static long expectedCrc() {
        CRC32C crc = new CRC32C();
        crc.update(pattern().segment().asByteBuffer());
        return crc.getValue();
    }
}
