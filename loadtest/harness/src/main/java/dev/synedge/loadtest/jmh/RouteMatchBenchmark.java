package dev.synedge.loadtest.jmh;

import dev.synedge.config.Cidr;
import dev.synedge.config.ConfigException;
import dev.synedge.config.ConfigLoader;
import dev.synedge.http.Method;
import dev.synedge.routing.Route;
import dev.synedge.routing.Router;
import dev.synedge.routing.TrustedHops;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of {@link Router#match} on a request head in a pooled direct buffer, for a small and a
 * large route table, and of {@link TrustedHops#trusts}. Routes rotate through three kinds:
 * exact host + path prefix, wildcard host, any host + path prefix. Each match benchmark asks
 * for the LAST route of its kind, the worst case for first-match-wins (every earlier route that
 * could take the request must be ruled out); noMatch asks for a host and path no route takes.
 * Run with {@code -prof gc} to see that matching allocates nothing.
 *
 * <pre>
 * java -cp 'loadtest/harness/target/synedge-loadtest.jar:loadtest/harness/target/lib/*' \
 *     org.openjdk.jmh.Main RouteMatch -f 1 -wi 3 -i 5 -w 1 -r 1
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RouteMatchBenchmark {

    /** A route table and four request heads in one pooled direct buffer. */
    @State(Scope.Benchmark)
    public static class Routes {

        @Param({"5", "200"})
        public int routes;

        Router router;
        ByteBuf head;
        Request exact;
        Request wildcard;
        Request anyHost;
        Request miss;

        @Setup(Level.Trial)
        public void setUp() throws ConfigException {
            StringBuilder config = new StringBuilder("synedge.clusters.c.endpoints = [\"127.0.0.1:9000\"]\n");
            config.append("synedge.routes = [\n");
            int lastExact = -1;
            int lastWildcard = -1;
            int lastAny = -1;
            for (int i = 0; i < routes; i++) {
                config.append("{ name = r").append(i).append(", cluster = c, match { ");
                switch (i % 3) {
                    case 0 -> {
                        config.append("hosts = [\"h").append(i).append(".example.com\"], path-prefix = \"/svc")
                                .append(i).append('"');
                        lastExact = i;
                    }
                    case 1 -> {
                        config.append("hosts = [\"*.w").append(i).append(".example.org\"]");
                        lastWildcard = i;
                    }
                    default -> {
                        config.append("path-prefix = \"/p").append(i).append("/static\"");
                        lastAny = i;
                    }
                }
                config.append(" } }\n");
            }
            config.append("]\n");
            router = Router.compile(ConfigLoader.load(config.toString(), "benchmark").routes());

            head = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
            exact = request("h" + lastExact + ".example.com", "/svc" + lastExact + "/users/42");
            wildcard = request("api.eu.w" + lastWildcard + ".example.org:8443", "/index.html");
            anyHost = request("www.example.net", "/p" + lastAny + "/static/app.js");
            miss = request("unknown.example.net", "/nothing/here");
            check(exact, "r" + lastExact);
            check(wildcard, "r" + lastWildcard);
            check(anyHost, "r" + lastAny);
            check(miss, null);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            head.release();
        }

        Route match(Request r) {
            return router.match(head, r.hostStart, r.hostEnd, r.pathStart, r.pathEnd, Method.GET);
        }

        /** Appends a request head to {@link #head} and returns where its host and path are. */
        private Request request(String host, String path) {
            int start = head.writerIndex();
            head.writeCharSequence("GET " + path + "?x=1 HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: jmh\r\nAccept: */*\r\n\r\n", StandardCharsets.US_ASCII);
            int pathStart = start + 4;
            int hostStart = pathStart + path.length() + "?x=1 HTTP/1.1\r\nHost: ".length();
            return new Request(hostStart, hostStart + host.length(), pathStart, pathStart + path.length());
        }

        private void check(Request request, String expected) {
            Route route = match(request);
            String name = route == null ? null : route.name();
            if (!Objects.equals(name, expected)) {
                throw new IllegalStateException("benchmark setup: expected route " + expected + ", got " + name);
            }
        }
    }

    /** Offsets of one request head inside {@link Routes#head}. */
    record Request(int hostStart, int hostEnd, int pathStart, int pathEnd) {}

    /** Three trusted ranges and a client of each family that one of them takes. */
    @State(Scope.Benchmark)
    public static class Hops {

        TrustedHops hops;
        InetAddress ipv4;
        InetAddress ipv6;

        @Setup(Level.Trial)
        public void setUp() throws UnknownHostException {
            hops = TrustedHops.of(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("192.168.0.0/16"),
                    Cidr.parse("2001:db8::/32")));
            ipv4 = InetAddress.getByName("192.168.7.9");
            ipv6 = InetAddress.getByName("2001:db8::7");
            if (!hops.trusts(ipv4) || !hops.trusts(ipv6)) {
                throw new IllegalStateException("benchmark setup: clients not trusted");
            }
        }
    }

    @Benchmark
    public Route exactHost(Routes state) {
        return state.match(state.exact);
    }

    @Benchmark
    public Route wildcardHost(Routes state) {
        return state.match(state.wildcard);
    }

    @Benchmark
    public Route anyHostPrefix(Routes state) {
        return state.match(state.anyHost);
    }

    @Benchmark
    public Route noMatch(Routes state) {
        return state.match(state.miss);
    }

    @Benchmark
    public boolean trustsIpv4(Hops state) {
        return state.hops.trusts(state.ipv4);
    }

    @Benchmark
    public boolean trustsIpv6(Hops state) {
        return state.hops.trusts(state.ipv6);
    }
}
