package dev.synedge.listener;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.Termination;
import dev.synedge.config.ConfigLoader;
import dev.synedge.server.ProxyServer;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Connection limits on real sockets, with two event loops and so two listening sockets per
 * listener: clients beyond max-connections wait in the kernel's accept queue (seen in
 * /proc/net/tcp) while the event loops stay idle, and are served in turn as connections close;
 * a client over max-connections-per-client is answered 429, counted over both loops.
 */
class ConnectionLimitsTest {

    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    void clientsBeyondAListenersLimitWaitInItsBacklogAndAreServedInTurn() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start("""
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, max-connections = 2 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()))) {
            AcceptGate gate = proxy.server().listeners().getFirst().gate();
            List<RawClient> waiting = new ArrayList<>();
            List<RawClient> served = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    waiting.add(RawClient.connect(proxy.address()).send(REQUEST));
                }
                served.addAll(awaitAnswered(waiting, 2));
                assertThat(answeredWithin(waiting, 300)).isEmpty();

                long cpu = loopCpuNanos();
                Thread.sleep(1000);
                long spent = loopCpuNanos() - cpu;
                assertThat(spent).as("event loop CPU while 3 clients wait, ns").isLessThan(100_000_000L);
                assertThat(gate.open()).isEqualTo(2);
                // held only when a loop accepted in the instant its socket was being paused
                assertThat(gate.held()).isLessThanOrEqualTo(1);
                assertThat(acceptQueue(proxy.port()) + gate.held()).isEqualTo(3);
                assertThat(gate.pauses()).isPositive();
                System.out.printf(Locale.ROOT, "3 clients waiting for 1 s: event loops used %.1f ms of CPU, "
                        + "%d in the accept queue, %d held%n", spent / 1e6, acceptQueue(proxy.port()), gate.held());

                while (!waiting.isEmpty()) {
                    served.removeFirst().close();
                    served.addAll(awaitAnswered(waiting, 1));
                    assertThat(answeredWithin(waiting, 100)).isEmpty();
                }
                assertThat(served).hasSize(2);
                assertThat(acceptQueue(proxy.port())).isZero();
            } finally {
                closeAll(waiting);
                closeAll(served);
            }
        }
    }

    /**
     * Forty clients at once against a limit of three, over two loops that accept at the same
     * time: no more than three are ever being served, and every one is served in the end.
     */
    @Test
    void manyClientsAtOnceAreServedAtMostThreeAtATime() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start("""
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, max-connections = 3 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()))) {
            AtomicInteger serving = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 40; i++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        try (RawClient client = RawClient.connect(proxy.address())) {
                            client.socket().setSoTimeout(20_000);
                            assertThat(client.send(REQUEST).read().status()).isEqualTo(200);
                            most.accumulateAndGet(serving.incrementAndGet(), Math::max);
                            Thread.sleep(20);
                            serving.decrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            go.countDown();
            for (Thread client : clients) {
                client.join();
            }
            assertThat(failures).isEmpty();
            assertThat(most.get()).isBetween(1, 3);
            assertThat(upstream.requests()).hasSize(40);
        }
    }

    /** A reload that raises the limits lets waiting clients in at once, on the same sockets. */
    @Test
    void aReloadRaisingTheLimitsLetsWaitingClientsIn() throws Exception {
        String config = """
                synedge.event-loops = 2
                synedge.access-log.enabled = false
                synedge.max-connections = %d
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = %d, max-connections = %d } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                """;
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start(config.formatted(100, 0, 1, upstream.port()))) {
            List<RawClient> waiting = new ArrayList<>();
            List<RawClient> served = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    waiting.add(RawClient.connect(proxy.address()).send(REQUEST));
                }
                served.addAll(awaitAnswered(waiting, 1));
                assertThat(answeredWithin(waiting, 200)).isEmpty();

                ProxyServer.ReloadReport report = proxy.server().reload(
                        ConfigLoader.load(config.formatted(3, proxy.port(), 10, upstream.port()), "raised"));
                assertThat(report.applied()).contains("listener main settings changed in place",
                        "client connections: at most 3 open over all listeners");
                served.addAll(awaitAnswered(waiting, 2));
                assertThat(answeredWithin(waiting, 200)).isEmpty();
                assertThat(proxy.server().acceptLimits().open()).isEqualTo(3);
            } finally {
                closeAll(waiting);
                closeAll(served);
            }
        }
    }

    @Test
    void maxConnectionsCountsEveryListener() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start("""
                     synedge.max-connections = 2
                     synedge.listeners = [ { name = a, address = "127.0.0.1", port = 0 },
                                           { name = b, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()))) {
            InetSocketAddress a = proxy.server().address("a");
            InetSocketAddress b = proxy.server().address("b");
            List<RawClient> served = new ArrayList<>();
            List<RawClient> waiting = new ArrayList<>();
            try {
                RawClient onB = RawClient.connect(b).send(REQUEST);
                served.add(RawClient.connect(a).send(REQUEST));
                served.add(onB);
                assertThat(awaitAnswered(new ArrayList<>(served), 2)).hasSize(2);
                waiting.add(RawClient.connect(a).send(REQUEST));
                waiting.add(RawClient.connect(b).send(REQUEST));
                assertThat(answeredWithin(waiting, 300)).isEmpty();
                assertThat(proxy.server().acceptLimits().open()).isEqualTo(2);
                assertThat(proxy.server().acceptLimits().pauses()).isPositive();

                onB.close();
                served.remove(onB);
                served.addAll(awaitAnswered(waiting, 1));
                assertThat(answeredWithin(waiting, 300)).isEmpty();
            } finally {
                closeAll(waiting);
                closeAll(served);
            }
        }
    }

    /**
     * Eight connections from one address with a limit of two: exactly two are served, whichever
     * loop took them, and the others get 429 and a close; another address is not affected, and
     * a slot freed is a slot again.
     */
    @Test
    void aClientOverItsLimitIsAnswered429() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start("""
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0,
                                             max-connections-per-client = 2 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()))) {
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    clients.add(RawClient.connect(proxy.address()));
                }
                List<RawClient> served = new ArrayList<>();
                int refused = 0;
                for (RawClient client : clients) {
                    RawClient.Response response = client.send(REQUEST).read();
                    if (response.status() == 200) {
                        served.add(client);
                        continue;
                    }
                    assertThat(response.status()).isEqualTo(429);
                    assertThat(response.header("Retry-After")).isEqualTo("1");
                    assertThat(response.header("Connection")).isEqualTo("close");
                    assertThat(client.closedByPeer(2000)).isTrue();
                    refused++;
                }
                assertThat(served).hasSize(2);
                assertThat(refused).isEqualTo(6);
                assertThat(proxy.server().listeners().getFirst().gate().overClientLimit()).isEqualTo(6);
                List<AccessRecord> records = proxy.drainExchanges(java.time.Duration.ofMillis(200));
                assertThat(records).filteredOn(r -> r.status() == 429).hasSize(6)
                        .allSatisfy(r -> assertThat(r.termination()).isEqualTo(Termination.TOO_MANY_CONNECTIONS));

                try (RawClient other = RawClient.connect(proxy.address(), InetAddress.getByName("127.0.0.2"))) {
                    assertThat(other.send(REQUEST).read().status()).isEqualTo(200);
                }
                served.getFirst().close();
                awaitOpen(proxy, 1);
                try (RawClient again = RawClient.connect(proxy.address())) {
                    assertThat(again.send(REQUEST).read().status()).isEqualTo(200);
                }
            } finally {
                closeAll(clients);
            }
        }
    }

    /** A connection over its client's limit that sends nothing is closed after the header-read timeout, not the idle one. */
    @Test
    void aSilentConnectionOverItsClientsLimitIsClosedAfterTheHeaderReadTimeout() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(RecordingUpstream.OK);
             TestProxy proxy = TestProxy.start("""
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0, idle-timeout = 60s,
                                             header-read-timeout = 300ms, max-connections-per-client = 1 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()));
             RawClient served = RawClient.connect(proxy.address());
             RawClient silent = RawClient.connect(proxy.address())) {
            long start = System.nanoTime();
            assertThat(silent.closedByPeer(3000)).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(200L, 2000L);
            assertThat(served.send(REQUEST).read().status()).isEqualTo(200);
        }
    }

    private static void awaitOpen(TestProxy proxy, int open) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (proxy.server().listeners().getFirst().gate().open() != open) {
            assertThat(System.nanoTime() - deadline).as("open connections never %d", open).isNegative();
            Thread.sleep(5);
        }
    }

    /** Waits until {@code n} of {@code clients} have a response, reads it, and moves them out of the list. */
    private static List<RawClient> awaitAnswered(List<RawClient> clients, int n) throws Exception {
        List<RawClient> answered = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (answered.size() < n) {
            assertThat(System.nanoTime() - deadline).as("only %d of %d clients answered", answered.size(), n)
                    .isNegative();
            for (RawClient client : List.copyOf(clients)) {
                if (client.hasInput()) {
                    assertThat(client.read().status()).isEqualTo(200);
                    clients.remove(client);
                    answered.add(client);
                }
            }
            Thread.sleep(5);
        }
        return answered;
    }

    private static List<RawClient> answeredWithin(List<RawClient> clients, long millis) throws Exception {
        Thread.sleep(millis);
        List<RawClient> answered = new ArrayList<>();
        for (RawClient client : clients) {
            if (client.hasInput()) {
                answered.add(client);
            }
        }
        return answered;
    }

    private static void closeAll(List<RawClient> clients) throws IOException {
        for (RawClient client : clients) {
            client.close();
        }
    }

    /** CPU time of this JVM's event loop threads (TestProxy's; no other proxy runs beside a test). */
    private static long loopCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("multiThreadIoEventLoopGroup")) {
                sum += Math.max(0, threads.getThreadCpuTime(t.threadId()));
            }
        }
        return sum;
    }

    /**
     * Connections waiting in the accept queues of the listening sockets on {@code port}, as the
     * kernel counts them (Netty's sockets for IPv4 addresses are IPv6 ones, hence both files).
     */
    static int acceptQueue(int port) throws IOException {
        int waiting = 0;
        String local = String.format(Locale.ROOT, ":%04X", port);
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[1].endsWith(local) && f[3].equals("0A")) {
                    waiting += Integer.parseInt(f[4].substring(f[4].indexOf(':') + 1), 16);
                }
            }
        }
        return waiting;
    }
}
