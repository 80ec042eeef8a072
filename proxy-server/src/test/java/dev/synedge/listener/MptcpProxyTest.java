package dev.synedge.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.net.KernelState;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.Mptcp;
import dev.synedge.net.NativeException;
import dev.synedge.testing.Curl;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MPTCP on both legs: a listener with {@code mptcp = true} accepts MPTCP clients (and plain
 * TCP ones), and a cluster with {@code mptcp = true} opens MPTCP upstream connections. Each
 * side is checked from the peer's socket with {@code TCP_IS_MPTCP}: true only when both ends
 * speak MPTCP.
 */
class MptcpProxyTest {

    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";

    @BeforeEach
    void requireMptcp() {
        KernelRequirement.require(KernelState.mptcpEnabled(), "MPTCP", "net.mptcp.enabled is not 1");
    }

    @Test
    void anMptcpClientThroughAnMptcpListenerToAnMptcpEndpoint() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (LinuxSocket upstream = listen(lo)) {
            CompletableFuture<Boolean> upstreamSawMptcp = CompletableFuture.supplyAsync(() -> serveOnce(upstream));
            try (TestProxy proxy = TestProxy.start("""
                    synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, mptcp = true } ]
                    synedge.routes = [ { name = all, cluster = up } ]
                    synedge.clusters.up { endpoints = [ "127.0.0.1:%d" ], mptcp = true, pool.max-idle = 0 }
                    """.formatted(upstream.localAddress().getPort()))) {
                try (LinuxSocket client = LinuxSocket.openFor(proxy.address(), LinuxSocket.Protocol.MPTCP)) {
                    client.connect(proxy.address());
                    String response = exchange(client, "GET / HTTP/1.1\r\nHost: m\r\n\r\n");
                    assertThat(response).startsWith("HTTP/1.1 200 OK").endsWith("ok");
                    assertThat(Mptcp.isMptcp(client.fd())).as("the listener took the client's MPTCP").isTrue();
                }
                assertThat(upstreamSawMptcp.get(10, TimeUnit.SECONDS)).as("synedge's upstream connection is MPTCP").isTrue();

                CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> serveOnce(upstream));
                Curl.Result plain = Curl.run(proxy.url("/"));
                assertThat(plain.body()).as("a plain TCP client of the MPTCP listener").isEqualTo("ok");
                assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    private static LinuxSocket listen(InetAddress address) throws NativeException {
        InetSocketAddress local = new InetSocketAddress(address, 0);
        LinuxSocket socket = LinuxSocket.openFor(local, LinuxSocket.Protocol.MPTCP);
        socket.bind(local);
        socket.listen(16);
        return socket;
    }

    /** Accepts one connection, reads its request head, answers, and says whether it was MPTCP. */
    private static boolean serveOnce(LinuxSocket listener) {
        try {
            LinuxSocket accepted = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (accepted == null && System.nanoTime() < deadline) {
                accepted = listener.accept();
                if (accepted == null) {
                    Thread.sleep(1);
                }
            }
            if (accepted == null) {
                throw new AssertionError("synedge never connected upstream");
            }
            try (LinuxSocket connection = accepted) {
                boolean mptcp = Mptcp.isMptcp(connection.fd());
                exchange(connection, null);
                write(connection, RESPONSE);
                return mptcp;
            }
        } catch (NativeException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code request} (when given) and reads its "ok" response; without one, reads a request head. */
    private static String exchange(LinuxSocket socket, String request) throws NativeException, InterruptedException {
        if (request != null) {
            write(socket, request);
        }
        MemorySegment buffer = Arena.ofAuto().allocate(8192);
        StringBuilder text = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            int n = socket.read(buffer);
            if (n == LinuxSocket.EOF) {
                break;
            }
            if (n == LinuxSocket.WOULD_BLOCK) {
                Thread.sleep(1);
                continue;
            }
            text.append(new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1));
            if (request == null ? text.indexOf("\r\n\r\n") >= 0 : text.toString().endsWith("\r\n\r\nok")) {
                break;
            }
        }
        return text.toString();
    }

    private static void write(LinuxSocket socket, String text) throws NativeException, InterruptedException {
        MemorySegment bytes = Arena.ofAuto().allocateFrom(text, StandardCharsets.ISO_8859_1);
        long at = 0;
        long length = text.length();
        while (at < length) {
            int n = socket.write(bytes.address() + at, (int) (length - at));
            if (n == LinuxSocket.WOULD_BLOCK) {
                Thread.sleep(1);
            } else {
                at += n;
            }
        }
    }
}
