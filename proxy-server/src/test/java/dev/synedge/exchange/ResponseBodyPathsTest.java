package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.UpstreamConnection;
import dev.synedge.body.BodyCounters;
import dev.synedge.body.BodyPolicy;
import dev.synedge.body.ZeroCopyProbe;
import dev.synedge.net.KernelState;
import dev.synedge.origin.BodyPattern;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.origin.PageSender;
import dev.synedge.testing.BodyClient;
import dev.synedge.testing.LogCapture;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import dev.synedge.testkit.SocketBuffers;
import dev.synedge.testkit.Sysctl;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Response bodies under each {@code response-body} setting, through synedge to the test
 * origin on real loopback sockets: byte-exact bodies from 0 to 64 MiB, Content-Length and
 * chunked, on one keep-alive connection; slow and vanishing clients; upstreams that break
 * mid-body; bodiless responses. The counters say which path the bytes took. Pages map on
 * loopback only with {@code net.core.high_order_alloc_disable=1}; with 0 everything must still
 * arrive, copied.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResponseBodyPathsTest {

    private static final String HIGH_ORDER = "net.core.high_order_alloc_disable";
    private static final long MIB = 1 << 20;

    private Origin origin;

    @BeforeAll
    void startOrigin() throws Exception {
        origin = Origin.start(OriginOptions.defaults());
    }

    @AfterAll
    void stopOrigin() {
        origin.close();
    }

    private TestProxy proxy(String responseBody) throws Exception {
        return proxy(responseBody, "");
    }

    private TestProxy proxy(String responseBody, String clusterSettings) throws Exception {
        return TestProxy.start("""
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = all, cluster = up } ]
                synedge.clusters.up { endpoints = [ "127.0.0.1:%d" ], response-body = %s, %s }
                """.formatted(origin.port(), responseBody, clusterSettings));
    }

    private static BodyCounters.Snapshot counters(TestProxy proxy) {
        return proxy.server().bodyCounters("up");
    }

    /** Waits until no mapped page and no pipe byte is held (client writes done). */
    private static BodyCounters.Snapshot settled(TestProxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        BodyCounters.Snapshot c = counters(proxy);
        while ((c.mappedHeld() != 0 || c.pipeHeld() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
            c = counters(proxy);
        }
        return c;
    }

    /** Paths and sizes, Content-Length and chunked (several chunk sizes, none page-aligned). */
    private static List<String> bodies() {
        List<String> paths = new ArrayList<>();
        for (long size : new long[] {0, 1, 4095, 4097, 65543, 300 << 10, MIB + 3, 16 * MIB, 64 * MIB}) {
            paths.add("/" + size);
        }
        for (long size : new long[] {1, 4097, 300 << 10, MIB + 3}) {
            paths.add("/" + size + "?chunked=1000");
        }
        for (long size : new long[] {4097, 300 << 10, MIB + 3, 16 * MIB}) {
            paths.add("/" + size + "?chunked=16k");
            paths.add("/" + size + "?chunked=100001");
        }
        paths.add("/" + 64 * MIB + "?chunked=1m");
        return paths;
    }

    private static long sizeOf(String path) {
        int end = path.indexOf('?');
        return Long.parseLong(path.substring(1, end < 0 ? path.length() : end));
    }

    /** What one run of {@link #bodies()} moved. */
    private record Run(long contentLengthBytes, long chunkedBytes, BodyCounters.Snapshot moved, List<AccessRecord> records) {
        long total() {
            return contentLengthBytes + chunkedBytes;
        }
    }

    /** Fetches every body on one connection and checks each byte; returns what the counters saw. */
    private static Run fetchAll(TestProxy proxy) throws Exception {
        proxy.drainExchanges(Duration.ZERO);
        BodyCounters.Snapshot before = settled(proxy);
        long contentLength = 0;
        long chunked = 0;
        try (BodyClient client = BodyClient.connect(proxy.address())) {
            for (String path : bodies()) {
                long size = sizeOf(path);
                BodyClient.Response r = client.get(path);
                assertThat(r.status()).as(path).isEqualTo(200);
                assertThat(r.length()).as(path + " length").isEqualTo(size);
                assertThat(r.firstWrongByte()).as(path + " first wrong byte").isEqualTo(-1);
                assertThat(r.crc32c()).as(path + " checksum").isEqualTo(r.field("x-body-checksum"))
                        .isEqualTo("%08x".formatted(BodyPattern.crc32c(size)));
                assertThat(r.chunked()).as(path + " chunked").isEqualTo(path.contains("chunked"));
                if (r.chunked()) {
                    chunked += size;
                } else {
                    contentLength += size;
                }
            }
        }
        BodyCounters.Snapshot after = settled(proxy);
        assertThat(after.mappedHeld()).as("mapped pages still held").isZero();
        assertThat(after.pipeHeld()).as("bytes still in pipes").isZero();
        BodyCounters.Snapshot moved = new BodyCounters.Snapshot(after.copied() - before.copied(),
                after.mapped() - before.mapped(), after.spliced() - before.spliced(), 0, 0);
        List<AccessRecord> records = new ArrayList<>();
        for (int i = 0; i < bodies().size(); i++) {
            records.add(proxy.nextExchange());
        }
        Run run = new Run(contentLength, chunked, moved, records);
        assertThat(moved.total()).as("body bytes counted over all paths").isEqualTo(run.total());
        assertThat(records).as("every exchange complete").allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.termination()).isEqualTo(Termination.COMPLETED);
        });
        assertThat(records.stream().filter(r -> r.upstreamConnection() == UpstreamConnection.NEW).count())
                .as("one upstream connection, reused after every body").isEqualTo(1);
        return run;
    }

    private static void print(String what, Run run) {
        BodyCounters.Snapshot m = run.moved();
        System.out.printf("%s: %d bytes: copied %.1f%%, mapped %.1f%%, spliced %.1f%%%n", what, run.total(),
                100.0 * m.copied() / run.total(), 100.0 * m.mapped() / run.total(), 100.0 * m.spliced() / run.total());
    }

    @Test
    void copyMovesEveryBodyThroughBuffers() throws Exception {
        try (TestProxy proxy = proxy("copy")) {
            Run run = fetchAll(proxy);
            assertThat(run.moved().copied()).isEqualTo(run.total());
        }
    }

    /** Without an admin endpoint yet, the counters reach operators (and benchmarks) at shutdown. */
    @Test
    @SuppressWarnings("try")
    void closingTheServerLogsWhatEachPathMoved() throws Exception {
        try (LogCapture log = LogCapture.of("dev.synedge.server")) {
            try (TestProxy proxy = proxy("splice"); BodyClient client = BodyClient.connect(proxy.address())) {
                assertThat(client.get("/1m?chunked=64k").length()).isEqualTo(MIB);
                assertThat(client.get("/1m").length()).isEqualTo(MIB);
                settled(proxy);
            }
            String line = log.await("cluster up: " + 2 * MIB + " response body bytes");
            assertThat(line).startsWith("INFO").matches(".*copied (5\\d\\.\\d)%, mapped 0\\.0%, spliced (4\\d\\.\\d)%");
        }
    }

    @Test
    @SuppressWarnings("try")
    void zeroCopyMapsMostBytesWhenPagesMap() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); TestProxy proxy = proxy("zero-copy")) {
            Run run = fetchAll(proxy);
            print("zero-copy, " + HIGH_ORDER + "=1", run);
            assertThat(run.moved().spliced()).isZero();
            assertThat((double) run.moved().mapped() / run.total()).as("share of body bytes mapped")
                    .isGreaterThan(0.5);
        }
    }

    /**
     * From an origin whose segments arrive as whole pages (MSG_ZEROCOPY on loopback, as from a
     * header-split NIC), with the page-sized segments zero-copy clusters ask for, nearly every
     * byte maps, and without the sysctl: what is left is the bytes that come in with the head
     * and each body's last few KiB, which the kernel copies. With the loopback MSS each
     * segment's last 4043 bytes would be copied too, and at most 94% would map.
     */
    @Test
    @SuppressWarnings("try")
    void zeroCopyMapsNearlyEveryByteOfPageSegments() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "0");
             PageSender pages = PageSender.start(InetAddress.getLoopbackAddress(), 0);
             TestProxy proxy = TestProxy.start("""
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up { endpoints = [ "127.0.0.1:%d" ], response-body = zero-copy }
                     """.formatted(pages.address().getPort()));
             BodyClient client = BodyClient.connect(proxy.address())) {
            long total = 0;
            for (long size : new long[] {MIB + 3, 16 * MIB, 64 * MIB, 300 << 10}) {
                BodyClient.Response r = client.get("/" + size);
                assertThat(r.length()).isEqualTo(size);
                assertThat(r.firstWrongByte()).isEqualTo(-1);
                assertThat(r.crc32c()).isEqualTo(r.field("x-body-checksum"))
                        .isEqualTo("%08x".formatted(BodyPattern.crc32c(size)));
                total += size;
            }
            BodyCounters.Snapshot moved = settled(proxy);
            System.out.printf("zero-copy from whole pages: %.1f%% of %d bytes mapped%n", 100.0 * moved.mapped() / total, total);
            assertThat(moved.mapped() + moved.copied()).isEqualTo(total);
            assertThat((double) moved.mapped() / total).as("share of body bytes mapped").isGreaterThan(0.95);
            assertThat(moved.mappedHeld()).isZero();
        }
    }

    @Test
    @SuppressWarnings("try")
    void zeroCopyCopiesEverythingWhenNoPageMaps() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "0"); TestProxy proxy = proxy("zero-copy")) {
            Run run = fetchAll(proxy);
            assertThat(run.moved().mapped()).isZero();
            assertThat(run.moved().copied()).isEqualTo(run.total());
        }
    }

    @Test
    void spliceMovesContentLengthBodiesAndCopiesChunkedOnes() throws Exception {
        try (TestProxy proxy = proxy("splice")) {
            Run run = fetchAll(proxy);
            print("splice", run);
            assertThat(run.moved().mapped()).isZero();
            // Only what came in the read that brought the head is copied of a Content-Length body.
            assertThat(run.moved().spliced()).isGreaterThan(run.contentLengthBytes() * 9 / 10)
                    .isLessThanOrEqualTo(run.contentLengthBytes());
            assertThat(run.moved().copied()).isGreaterThanOrEqualTo(run.chunkedBytes());
        }
    }

    @ParameterizedTest(name = HIGH_ORDER + " = {0}")
    @ValueSource(strings = {"0", "1"})
    @SuppressWarnings("try")
    void autoSplicesLargeContentLengthBodiesAndMapsChunkedOnesWherePagesMap(String highOrder) throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, highOrder); TestProxy proxy = proxy("auto")) {
            Run run = fetchAll(proxy);
            print("auto, " + HIGH_ORDER + "=" + highOrder, run);
            long large = 0;
            for (String path : bodies()) {
                if (!path.contains("chunked") && sizeOf(path) >= BodyPolicy.AUTO_MIN_BODY) {
                    large += sizeOf(path);
                }
            }
            assertThat(run.moved().spliced()).isGreaterThan(large * 9 / 10).isLessThanOrEqualTo(large);
            if (highOrder.equals("1")) {
                assertThat(run.moved().mapped()).as("chunked bytes mapped").isGreaterThan(run.chunkedBytes() / 2);
            } else {
                assertThat(run.moved().mapped()).isZero();
            }
        }
    }

    /**
     * Without pages that map, {@code auto} gives zero-copy receive {@link ZeroCopyProbe#SAMPLE}
     * bytes, says once that nothing mapped, and copies from then on; {@code zero-copy} was asked
     * for and keeps trying.
     */
    @Test
    @SuppressWarnings("try")
    void autoSaysOnceThatNothingMapsHere() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "0"); LogCapture log = LogCapture.of("dev.synedge.body");
             TestProxy proxy = proxy("auto");
             BodyClient client = BodyClient.connect(proxy.address())) {
            for (int i = 0; i < 6; i++) {
                BodyClient.Response r = client.get("/2m?chunked=64k");
                assertThat(r.firstWrongByte()).isEqualTo(-1);
                assertThat(r.length()).isEqualTo(2 * MIB);
            }
            assertThat(log.linesWith("mapped none of the first")).hasSize(1).first().asString()
                    .startsWith("WARN").contains(HIGH_ORDER + "=1").contains("response-body = auto copies instead");
            assertThat(counters(proxy).mapped()).isZero();
        }
    }

    @Test
    @SuppressWarnings("try")
    void autoSaysWhenPagesMap() throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); LogCapture log = LogCapture.of("dev.synedge.body");
             TestProxy proxy = proxy("auto");
             BodyClient client = BodyClient.connect(proxy.address())) {
            BodyClient.Response r = client.get("/4m?chunked=64k");
            assertThat(r.firstWrongByte()).isEqualTo(-1);
            assertThat(log.await("zero-copy receive maps response body pages on this host")).startsWith("INFO");
            assertThat(log.linesWith("mapped none")).isEmpty();
        }
    }

    /**
     * A client that reads nothing for a while: the upstream is held back, mapped pages stay
     * within the window and pipe bytes within the pipe, and then every byte arrives.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zero-copy", "splice"})
    @SuppressWarnings("try")
    void aStalledClientHoldsBoundedMemoryAndLosesNothing(String responseBody) throws Exception {
        int clientBuffer = 64 * 1024;
        long heldBound = SocketBuffers.streamHeldBound(clientBuffer,
                Math.max(BodyPolicy.WINDOW_BYTES, BodyPolicy.PIPE_BYTES));
        long size = SocketBuffers.bodyLargerThan(heldBound, 64 * MIB);
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); TestProxy proxy = proxy(responseBody);
             RawClient client = RawClient.connect(proxy.address())) {
            client.socket().setReceiveBufferSize(clientBuffer);
            long sentBefore = origin.stats().responseBodyBytes();
            client.send("GET /" + size / MIB + "m HTTP/1.1\r\nHost: a.example\r\n\r\n");
            long maxMapped = 0;
            long maxPipe = 0;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(50);
                BodyCounters.Snapshot c = counters(proxy);
                maxMapped = Math.max(maxMapped, c.mappedHeld());
                maxPipe = Math.max(maxPipe, c.pipeHeld());
            }
            long originSent = origin.stats().responseBodyBytes() - sentBefore;
            assertThat(originSent).as("body bytes the origin could hand over while the client read nothing")
                    .isLessThan(heldBound);
            assertThat(maxMapped).as("mapped bytes held").isLessThanOrEqualTo(BodyPolicy.WINDOW_BYTES);
            assertThat(maxPipe).as("bytes held in the pipe").isLessThanOrEqualTo(BodyPolicy.PIPE_BYTES);
            if (responseBody.equals("zero-copy")) {
                assertThat(maxMapped).as("pages were mapped and held").isPositive();
            } else {
                assertThat(maxPipe).as("bytes were held in the pipe").isPositive();
            }
            InputStream in = client.socket().getInputStream();
            assertThat(readHead(in)).isEqualTo(size);
            assertThat(readPattern(in, size)).isEqualTo(size);
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.COMPLETED);
            BodyCounters.Snapshot after = settled(proxy);
            assertThat(after.mappedHeld()).isZero();
            assertThat(after.pipeHeld()).isZero();
        }
    }

    /** The client leaves mid-body: pages and pipe given back, the upstream connection closed, not pooled. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zero-copy", "splice"})
    @SuppressWarnings("try")
    void aClientLeavingMidBodyReleasesEverythingAndAbortsTheUpstream(String responseBody) throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); TestProxy proxy = proxy(responseBody)) {
            try (RawClient client = RawClient.connect(proxy.address())) {
                client.send("GET /64m HTTP/1.1\r\nHost: a.example\r\n\r\n");
                InputStream in = client.socket().getInputStream();
                readHead(in);
                assertThat(readPattern(in, 4 * MIB)).isEqualTo(4 * MIB);
                BodyCounters.Snapshot during = counters(proxy);
                assertThat(responseBody.equals("splice") ? during.spliced() : during.mapped())
                        .as("the fast path was taken").isPositive();
            }
            AccessRecord record = proxy.nextExchange();
            assertThat(record.termination()).isEqualTo(Termination.CLIENT_CLOSED);
            assertThat(record.bytesSent()).isLessThan(64 * MIB);
            BodyCounters.Snapshot after = settled(proxy);
            assertThat(after.mappedHeld()).as("mapped pages given back").isZero();
            assertThat(after.pipeHeld()).as("pipe bytes dropped").isZero();
            try (BodyClient client = BodyClient.connect(proxy.address())) {
                BodyClient.Response r = client.get("/1m");
                assertThat(r.firstWrongByte()).isEqualTo(-1);
                assertThat(r.length()).isEqualTo(MIB);
            }
            assertThat(proxy.nextExchange().upstreamConnection()).as("the aborted connection was not pooled")
                    .isEqualTo(UpstreamConnection.NEW);
        }
    }

    /**
     * The origin resets mid-body, losing what its kernel still held: the client gets a 502 when
     * nothing was relayed yet, else a truncated body and the close, never a continued one.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zero-copy", "splice", "auto"})
    @SuppressWarnings("try")
    void anUpstreamResetMidBodyCutsTheClientOff(String responseBody) throws Exception {
        long size = 8 * MIB;
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); TestProxy proxy = proxy(responseBody);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /8m?fault=reset-mid-body HTTP/1.1\r\nHost: a.example\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            long length = readHead(in);
            int status;
            if (length == size) {
                status = 200;
                assertThat(readPattern(in, size)).isLessThan(size);
                assertThat(client.closedByPeer(2000)).isTrue();
            } else {
                status = 502;
                assertThat(new String(in.readNBytes((int) length), StandardCharsets.ISO_8859_1))
                        .isEqualTo("502 Bad Gateway\n");
            }
            AccessRecord record = proxy.nextExchange();
            assertThat(record.termination()).isEqualTo(Termination.UPSTREAM_RESET);
            assertThat(record.status()).isEqualTo(status);
            BodyCounters.Snapshot after = settled(proxy);
            assertThat(after.mappedHeld()).isZero();
            assertThat(after.pipeHeld()).isZero();
        }
    }

    /** The origin closes after half the body: the client gets exactly that half, then the close. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"zero-copy", "splice"})
    @SuppressWarnings("try")
    void anUpstreamCloseMidBodyPassesOnWhatCameThenCloses(String responseBody) throws Exception {
        long size = 8 * MIB;
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); TestProxy proxy = proxy(responseBody);
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /8m?fault=close-mid-body HTTP/1.1\r\nHost: a.example\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            assertThat(readHead(in)).isEqualTo(size);
            assertThat(readPattern(in, size)).isEqualTo(size / 2);
            assertThat(client.closedByPeer(2000)).isTrue();
            assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.UPSTREAM_CLOSED);
            BodyCounters.Snapshot after = settled(proxy);
            assertThat(after.mappedHeld()).isZero();
            assertThat(after.pipeHeld()).isZero();
        }
    }

    /**
     * A close-delimited body is re-chunked for a keep-alive client and a chunked one keeps its
     * trailers, whatever path the data takes; the close ends the upstream connection.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"copy", "zero-copy", "splice", "auto"})
    @SuppressWarnings("try")
    void closeDelimitedBodiesAreRechunkedAndTrailersPassOnEveryPath(String responseBody) throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); TestProxy proxy = proxy(responseBody);
             BodyClient client = BodyClient.connect(proxy.address())) {
            BodyClient.Response closeDelimited = client.get("/3m?close-delimited=1");
            assertThat(closeDelimited.chunked()).as("re-chunked for the keep-alive client").isTrue();
            assertThat(closeDelimited.length()).isEqualTo(3 * MIB);
            assertThat(closeDelimited.firstWrongByte()).isEqualTo(-1);
            assertThat(closeDelimited.crc32c()).isEqualTo(closeDelimited.field("x-body-checksum"));
            BodyClient.Response withTrailers = client.get("/3m?chunked=100001&trailers=1");
            assertThat(withTrailers.length()).isEqualTo(3 * MIB);
            assertThat(withTrailers.firstWrongByte()).isEqualTo(-1);
            assertThat(withTrailers.trailers()).contains("X-Trailer-Checksum: " + withTrailers.crc32c());
            BodyCounters.Snapshot c = settled(proxy);
            assertThat(c.total()).isEqualTo(6 * MIB);
            assertThat(c.spliced()).as("neither body passes through unchanged").isZero();
            if (responseBody.equals("copy") || responseBody.equals("splice")) {
                assertThat(c.copied()).isEqualTo(6 * MIB);
            } else {
                assertThat(c.mapped()).as("mapped").isGreaterThan(3 * MIB);
            }
        }
    }

    /** Responses without a body take no fast path and leave the connection in step. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"copy", "zero-copy", "splice", "auto"})
    @SuppressWarnings("try")
    void headAnd204And304CarryNoBodyAndTheConnectionGoesOn(String responseBody) throws Exception {
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); TestProxy proxy = proxy(responseBody);
             BodyClient client = BodyClient.connect(proxy.address())) {
            BodyClient.Response head = client.head("/1m");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.field("content-length")).isEqualTo(Long.toString(MIB));
            assertThat(head.length()).isZero();
            assertThat(client.get("/1m?status=204").status()).isEqualTo(204);
            assertThat(client.get("/1m?status=304").status()).isEqualTo(304);
            assertThat(client.head("/1m?chunked=64k").field("transfer-encoding")).isEqualTo("chunked");
            BodyClient.Response body = client.get("/1m");
            assertThat(body.length()).isEqualTo(MIB);
            assertThat(body.firstWrongByte()).isEqualTo(-1);
            assertThat(settled(proxy).total()).as("only the last response had body bytes").isEqualTo(MIB);
        }
    }

    /** MPTCP sockets cannot be mapped: zero-copy falls back to copy; splice works on them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"zero-copy", "splice"})
    @SuppressWarnings("try")
    void mptcpUpstreamsAreCopiedOrSpliced(String responseBody) throws Exception {
        KernelRequirement.require(KernelState.mptcpEnabled(), "MPTCP", "net.mptcp.enabled is not 1");
        try (Sysctl.Change ignored = Sysctl.set(HIGH_ORDER, "1"); TestProxy proxy = proxy(responseBody, "mptcp = true");
             BodyClient client = BodyClient.connect(proxy.address())) {
            for (String path : List.of("/16m", "/16m?chunked=64k")) {
                BodyClient.Response r = client.get(path);
                assertThat(r.length()).as(path).isEqualTo(16 * MIB);
                assertThat(r.firstWrongByte()).as(path).isEqualTo(-1);
            }
            BodyCounters.Snapshot c = settled(proxy);
            assertThat(c.mapped()).isZero();
            assertThat(c.total()).isEqualTo(32 * MIB);
            if (responseBody.equals("splice")) {
                assertThat(c.spliced()).isGreaterThan(15 * MIB);
            } else {
                assertThat(c.copied()).isEqualTo(32 * MIB);
            }
        }
    }

    /** Reads a response head from a raw stream; returns its Content-Length. */
    private static long readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed inside the head: " + head);
            }
            head.append((char) c);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Long.parseLong(line.substring(15).strip());
            }
        }
        throw new IOException("no Content-Length in " + head);
    }

    /** Reads up to {@code length} body bytes, checking each against the origin's pattern; returns how many came. */
    private static long readPattern(InputStream in, long length) throws IOException {
        byte[] buf = new byte[1 << 16];
        long at = 0;
        try {
            while (at < length) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, length - at));
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (buf[i] != BodyPattern.byteAt(at + i)) {
                        throw new AssertionError("body byte " + (at + i) + " differs: a spliced or corrupted body");
                    }
                }
                at += n;
            }
        } catch (SocketException e) {
            // a reset ends what can be read
        }
        return at;
    }
}
