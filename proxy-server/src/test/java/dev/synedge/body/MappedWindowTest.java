package dev.synedge.body;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.net.LinuxSocket;
import dev.synedge.net.ZeroCopyReceiver;
import dev.synedge.testkit.Sysctl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A zero-copy window over a real loopback connection (pages map with
 * {@code net.core.high_order_alloc_disable=1}): buffers released out of order give their pages
 * back only once everything before them is released, and a closed window stays mapped while a
 * buffer still points into it.
 */
class MappedWindowTest {

    private static final int SIZE = 2 << 20;

    private Sysctl.Change orderZeroPages;
    private ServerSocket server;
    private Socket sender;
    private LinuxSocket receiver;
    private final BodyCounters counters = new BodyCounters();
    private final MemorySegment copies = Arena.ofAuto().allocate(64 << 10, 4096);
    /** Stream offset of the next byte to receive. */
    private long offset;

    @BeforeEach
    void connect() throws Exception {
        orderZeroPages = Sysctl.set("net.core.high_order_alloc_disable", "1");
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        InetSocketAddress address = (InetSocketAddress) server.getLocalSocketAddress();
        receiver = LinuxSocket.openFor(address, LinuxSocket.Protocol.TCP);
        receiver.connect(address);
        sender = server.accept();
        receiver.finishConnect();
        byte[] body = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            body[i] = patternAt(i);
        }
        OutputStream out = sender.getOutputStream();
        Thread.ofVirtual().start(() -> {
            try {
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the test closed the connection early
            }
        });
    }

    /**
     * Closes what {@link #connect()} opened, the sysctl last. It may have stopped early: at its
     * first line where the sysctl does not exist (outside the initial network namespace), which
     * skips the test or, under {@code SYNEDGE_REQUIRE_KERNEL=1}, fails it; try-with-resources
     * passes over the fields still null, so that reason is all that is reported.
     */
    @AfterEach
    @SuppressWarnings("try")
    void close() throws IOException {
        try (Sysctl.Change restored = orderZeroPages; ServerSocket listening = server; Socket sending = sender;
             LinuxSocket receiving = receiver) {
        }
    }

    private static byte patternAt(long offset) {
        return (byte) (offset % 251);
    }

    /** Receives until {@code count} mappings came; stragglers the kernel copied are skipped over. */
    private List<ByteBuf> mappings(MappedWindow window, int count) throws Exception {
        List<ByteBuf> buffers = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (buffers.size() < count) {
            assertThat(System.nanoTime()).as("mapped in time").isLessThan(deadline);
            ZeroCopyReceiver.Receipt receipt = window.receive(128 << 10, copies.address(), (int) copies.byteSize());
            if (receipt.mappedBytes() > 0) {
                ByteBuf buf = window.wrap(receipt.mapped(), UnpooledByteBufAllocator.DEFAULT);
                for (int i = 0; i < buf.readableBytes(); i += 997) {
                    assertThat(buf.getByte(i)).as("mapped byte at stream offset " + (offset + i))
                            .isEqualTo(patternAt(offset + i));
                }
                offset += buf.readableBytes();
                buffers.add(buf);
            }
            offset += receipt.copied();
            int skip = receipt.copyBytes();
            while (skip > 0) {
                int n = receiver.read(copies.address(), Math.min(skip, (int) copies.byteSize()));
                if (n > 0) {
                    skip -= n;
                    offset += n;
                }
            }
            if (receipt.isEmpty()) {
                Thread.sleep(1);
            }
        }
        return buffers;
    }

    @Test
    void pagesReleasedOutOfOrderGoBackOnlyWithEverythingBeforeThem() throws Exception {
        MappedWindow window = MappedWindow.open(receiver.fd(), 1 << 20, counters);
        List<ByteBuf> b = mappings(window, 3);
        window.drain();
        long held = window.held();
        assertThat(held).isPositive();
        assertThat(counters.snapshot().mappedHeld()).isEqualTo(held);
        ByteBuf slice = b.get(0).retainedSlice(0, 10);
        b.get(0).release();
        b.get(2).release();
        assertThat(window.held()).as("a slice of the oldest still holds everything").isEqualTo(held);
        b.get(1).release();
        assertThat(window.held()).isEqualTo(held);
        slice.release();
        assertThat(window.held()).isZero();
        assertThat(counters.snapshot().mappedHeld()).isZero();
        assertThat(mappings(window, 1)).as("the ring maps again").hasSize(1).allSatisfy(ByteBuf::release);
        window.close();
    }

    @Test
    void pagesGoBackInBatchesUnlessSomeoneWaitsForRoom() throws Exception {
        MappedWindow window = MappedWindow.open(receiver.fd(), 1 << 20, counters);
        List<ByteBuf> b = mappings(window, 2);
        long held = window.held();
        assertThat(held).as("two mappings, less than a batch").isLessThan(512 << 10);
        b.forEach(ByteBuf::release);
        assertThat(window.held()).as("gathered, not given back yet").isEqualTo(held);
        List<String> ran = new ArrayList<>();
        window.onSpace(() -> ran.add("space"));
        assertThat(window.held()).isZero();
        assertThat(ran).containsExactly("space");
        window.close();
    }

    @Test
    void aClosedWindowStaysMappedWhileABufferPointsIntoIt() throws Exception {
        MappedWindow window = MappedWindow.open(receiver.fd(), 1 << 20, counters);
        List<ByteBuf> b = mappings(window, 1);
        ByteBuf buf = b.get(0);
        long address = MemorySegment.ofBuffer(buf.nioBuffer()).address();
        byte first = buf.getByte(0);
        assertThat(isMapped(address)).isTrue();
        window.close();
        assertThat(window.usable()).isFalse();
        assertThat(isMapped(address)).as("still mapped: a buffer points into it").isTrue();
        assertThat(buf.getByte(0)).isEqualTo(first);
        buf.release();
        assertThat(isMapped(address)).as("unmapped with the last buffer").isFalse();
    }

    private static boolean isMapped(long address) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            String[] range = line.substring(0, line.indexOf(' ')).split("-");
            long from = Long.parseUnsignedLong(range[0], 16);
            long to = Long.parseUnsignedLong(range[1], 16);
            if (Long.compareUnsigned(address, from) >= 0 && Long.compareUnsigned(address, to) < 0) {
                return true;
            }
        }
        return false;
    }
}
