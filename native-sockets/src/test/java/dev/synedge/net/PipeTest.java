package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** splice(2) through a pipe from one loopback connection to another, byte-exact, to EOF. */
class PipeTest {

    private static final int SIZE = 8 << 20;

    @Test
    void splicesEightMebibytesFromOneConnectionToAnother() throws Exception {
        Native data = Native.allocate(SIZE);
        for (long i = 0; i < SIZE; i += 8) {
            data.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, i, i * 0x9E3779B97F4A7C15L);
        }
        CRC32C expected = new CRC32C();
        expected.update(data.segment().asByteBuffer());

        InetAddress lo = InetAddress.getLoopbackAddress();
        try (LinuxSocket inListener = Loopback.listen(lo, LinuxSocket.Protocol.TCP, 0);
             LinuxSocket outListener = Loopback.listen(lo, LinuxSocket.Protocol.TCP, 0);
             LinuxSocket source = Loopback.client(inListener.localAddress(), LinuxSocket.Protocol.TCP);
             LinuxSocket sink = Loopback.client(outListener.localAddress(), LinuxSocket.Protocol.TCP);
             Pipe pipe = Pipe.open()) {
            source.connect(inListener.localAddress());
            sink.connect(outListener.localAddress());
            LinuxSocket middleIn = Loopback.accept(inListener);
            LinuxSocket middleOut = Loopback.accept(outListener);

            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try (source) {
                    long at = 0;
                    while (at < SIZE) {
                        int n = source.write(data.address() + at, (int) Math.min(SIZE - at, 1 << 20));
                        if (n == LinuxSocket.WOULD_BLOCK) {
                            Loopback.pause();
                        } else {
                            at += n;
                        }
                    }
                    source.shutdownOutput();
                } catch (NativeException e) {
                    throw new AssertionError(e);
                }
            });
            CompletableFuture<Long> receiver = CompletableFuture.supplyAsync(() -> {
                CRC32C crc = new CRC32C();
                Native buffer = Native.allocate(1 << 16);
                try (sink) {
                    while (true) {
                        int n = sink.read(buffer.segment());
                        if (n == LinuxSocket.EOF) {
                            return crc.getValue();
                        }
                        if (n == LinuxSocket.WOULD_BLOCK) {
                            Loopback.pause();
                        } else {
                            crc.update(buffer.segment().asSlice(0, n).asByteBuffer());
                        }
                    }
                } catch (NativeException e) {
                    throw new AssertionError(e);
                }
            });

            long moved = 0;
            boolean eof = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try (middleIn; middleOut) {
                while (!eof || pipe.buffered() > 0) {
                    assertThat(System.nanoTime()).as("spliced in time").isLessThan(deadline);
                    boolean progress = false;
                    if (!eof) {
                        long in = pipe.fillFrom(middleIn.fd(), 1 << 20);
                        eof = in == LinuxSocket.EOF;
                        progress = in > 0;
                    }
                    if (pipe.buffered() > 0) {
                        long out = pipe.drainTo(middleOut.fd(), pipe.buffered());
                        if (out > 0) {
                            moved += out;
                            progress = true;
                        }
                    }
                    if (!progress && !eof) {
                        Loopback.pause();
                    }
                }
                middleOut.shutdownOutput();
            }
            sender.get(10, TimeUnit.SECONDS);
            assertThat(moved).isEqualTo(SIZE);
            assertThat(receiver.get(10, TimeUnit.SECONDS)).isEqualTo(expected.getValue());
        }
    }

    @Test
    void aResizedPipeReportsThePowerOfTwoCapacityTheKernelGave() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            assertThat(pipe.capacity()).isEqualTo(64 << 10);
            assertThat(pipe.resize(300 << 10)).isEqualTo(512 << 10);
            assertThat(pipe.capacity()).isEqualTo(512 << 10);
        }
    }
}
