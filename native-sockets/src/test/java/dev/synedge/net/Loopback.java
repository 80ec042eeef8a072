package dev.synedge.net;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/** Loopback helpers for the socket tests. */
final class Loopback {

    private Loopback() {}

    /**
     * A fresh 127.x.y.z address. The kernel caches Fast Open cookies per address pair, so a
     * test that needs "no cookie yet" uses an address no earlier connection used.
     */
    static InetAddress freshAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] raw = {127, (byte) random.nextInt(1, 255), (byte) random.nextInt(0, 256), (byte) random.nextInt(1, 255)};
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A listening socket on {@code address}, ephemeral port, with the given Fast Open queue. */
    static LinuxSocket listen(InetAddress address, LinuxSocket.Protocol protocol, int fastOpenQueue) throws NativeException {
        InetSocketAddress local = new InetSocketAddress(address, 0);
        LinuxSocket server = LinuxSocket.openFor(local, protocol);
        SocketOptions.setReuseAddress(server.fd(), true);
        server.bind(local);
        if (fastOpenQueue > 0) {
            FastOpen.setListenerQueue(server.fd(), fastOpenQueue);
        }
        server.listen(64);
        return server;
    }

    static LinuxSocket client(InetSocketAddress remote, LinuxSocket.Protocol protocol) throws NativeException {
        return LinuxSocket.open(remote.getAddress() instanceof java.net.Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6, protocol);
    }

    static LinuxSocket accept(LinuxSocket server) throws NativeException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            LinuxSocket child = server.accept();
            if (child != null) {
                return child;
            }
            pause();
        }
        throw new AssertionError("no connection accepted within 5 s");
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            pause();
        }
    }

    static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Writes all of {@code text}, retrying while the socket would block. */
    static void writeFully(LinuxSocket socket, String text) throws NativeException {
        writeFully(socket, Native.of(text.getBytes(StandardCharsets.US_ASCII)).segment());
    }

    /** Writes all of {@code data}, retrying while the socket would block; fails after 5 s without progress. */
    static void writeFully(LinuxSocket socket, MemorySegment data) throws NativeException {
        long at = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (at < data.byteSize()) {
            int n = socket.write(data.address() + at, (int) Math.min(data.byteSize() - at, 1 << 20));
            if (n == LinuxSocket.WOULD_BLOCK) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("write blocked for 5 s");
                }
                pause();
            } else {
                at += n;
                deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            }
        }
    }

    /** Waits until the socket has received {@code total} bytes in all (TCP_INFO's bytes received). */
    static void awaitReceived(LinuxSocket socket, long total) {
        await(total + " bytes received", () -> {
            try {
                return TcpInfo.read(socket.fd()).bytesReceived().orElseThrow() >= total;
            } catch (NativeException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** Something to do to a client socket before it connects (a socket option). */
    interface BeforeConnect {
        void apply(LinuxSocket client) throws NativeException;
    }

    /** A loopback TCP connection: the listener, its client end and the accepted end, closed together. */
    record Connected(LinuxSocket server, LinuxSocket client, LinuxSocket accepted) implements AutoCloseable {

        static Connected tcp() throws NativeException {
            return tcp(client -> {});
        }

        static Connected tcp(BeforeConnect setup) throws NativeException {
            LinuxSocket server = Loopback.listen(InetAddress.getLoopbackAddress(), LinuxSocket.Protocol.TCP, 0);
            LinuxSocket client = Loopback.client(server.localAddress(), LinuxSocket.Protocol.TCP);
            setup.apply(client);
            client.connect(server.localAddress());
            return new Connected(server, client, Loopback.accept(server));
        }

        @Override
        public void close() {
            accepted.close();
            client.close();
            server.close();
        }
    }

    /** Reads exactly {@code length} bytes as ASCII, waiting while nothing is there. */
    static String readExactly(LinuxSocket socket, int length) throws NativeException {
        Native buffer = Native.allocate(length);
        int at = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (at < length) {
            int n = socket.read(buffer.address() + at, length - at);
            if (n == LinuxSocket.EOF) {
                throw new AssertionError("EOF after " + at + " of " + length + " bytes");
            }
            if (n == LinuxSocket.WOULD_BLOCK) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("read blocked for 5 s after " + at + " bytes");
                }
                pause();
            } else {
                at += n;
            }
        }
        return new String(buffer.toArray(), 0, length, StandardCharsets.US_ASCII);
    }
}
