package dev.synedge.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.http.Method;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random route tables against an oracle written from the documented rules alone: a linear
 * first-match scan over plain strings. Tables up to 40 routes long exercise the indexed paths
 * (exact and wildcard host tables, per-segment route lists) as well as the plain scans.
 */
class RouterDifferentialTest {

    private static final String[] HOST_PATTERNS = {
        "a.example.com", "*.example.com", "*.a.example.com", "example.com", "[::1]", "other.org", "*.org"};
    private static final String[][] PATHS = {
        {"path-prefix", "/"}, {"path-prefix", "/a"}, {"path-prefix", "/a/"}, {"path-prefix", "/A"},
        {"path-prefix", "/a/b"}, {"path-prefix", "/ab"}, {"path-prefix", "/b"}, {"path", "/"},
        {"path", "/a"}, {"path", "/a/b"}, {"path-prefix", "/c/d/e"}};
    private static final Method[] METHODS = {Method.GET, Method.POST, Method.PUT};

    private static final String[] REQUEST_HOSTS = {
        "", "a.example.com", "A.Example.COM:80", "a.example.com.", "b.example.com", "x.a.example.com",
        "example.com", "example.com:8080", "[::1]", "[::1]:443", "other.org", "www.other.org", "org", "nowhere.net"};
    private static final String[] REQUEST_PATHS = {
        "", "/", "/a", "/a/", "/a/b", "/a/bc", "/ab", "/A", "/A/b", "/b", "/b/x", "/c", "/c/d/e/f", "//a", "*",
        "/" + "z".repeat(40)};
    private static final Method[] REQUEST_METHODS = {Method.GET, Method.POST, Method.PUT, Method.OTHER};

    private record Spec(String name, List<String> hosts, String pathKind, String path, List<Method> methods) {}

    @Test
    void routerAgreesWithALinearScan() {
        Random random = new Random(20261122);
        int checked = 0;
        for (int table = 0; table < 150; table++) {
            List<Spec> specs = randomTable(random, 1 + random.nextInt(40));
            Router router = RouterTest.router(hocon(specs));
            // Wrapped, so untracked: the leak detector's PARANOID access records would dominate.
            ByteBuf buf = Unpooled.wrappedBuffer(java.nio.ByteBuffer.allocateDirect(256)).clear();
            try {
                for (String host : REQUEST_HOSTS) {
                    for (String path : REQUEST_PATHS) {
                        for (Method method : REQUEST_METHODS) {
                            String expected = oracle(specs, host, path, method);
                            String actual = RouterTest.matchName(router, buf, host, path, method);
                            if (!java.util.Objects.equals(actual, expected)) {
                                assertThat(actual).as("table %d: %s %s%s in\n%s", table, method, host, path, hocon(specs))
                                        .isEqualTo(expected);
                            }
                            checked++;
                        }
                    }
                }
            } finally {
                buf.release();
            }
        }
        assertThat(checked).isEqualTo(150 * REQUEST_HOSTS.length * REQUEST_PATHS.length * REQUEST_METHODS.length);
    }

    private static List<Spec> randomTable(Random random, int size) {
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            List<String> hosts = new ArrayList<>();
            int hostCount = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(2);
            for (int h = 0; h < hostCount; h++) {
                String host = HOST_PATTERNS[random.nextInt(HOST_PATTERNS.length)];
                if (!hosts.contains(host)) {
                    hosts.add(host);
                }
            }
            String[] path = PATHS[random.nextInt(PATHS.length)];
            List<Method> methods = new ArrayList<>();
            if (random.nextInt(3) == 0) {
                for (Method method : METHODS) {
                    if (random.nextBoolean()) {
                        methods.add(method);
                    }
                }
            }
            specs.add(new Spec("r" + i, hosts, path[0], path[1], methods));
        }
        return specs;
    }

    private static String hocon(List<Spec> specs) {
        StringBuilder out = new StringBuilder();
        for (Spec spec : specs) {
            out.append("{ name = ").append(spec.name()).append(", cluster = c, match { hosts = [");
            spec.hosts().forEach(h -> out.append('"').append(h).append("\","));
            out.append("], ").append(spec.pathKind()).append(" = \"").append(spec.path()).append("\", methods = [");
            spec.methods().forEach(m -> out.append(m.name()).append(','));
            out.append("] } }\n");
        }
        return out.toString();
    }

    /** The documented semantics, spelled out over strings. */
    private static String oracle(List<Spec> specs, String requestHost, String requestPath, Method method) {
        String host = normalizeHost(requestHost);
        String path = requestPath.isEmpty() ? "/" : requestPath;
        for (Spec spec : specs) {
            boolean hostOk = spec.hosts().isEmpty() || spec.hosts().stream().anyMatch(p -> hostMatches(p, host));
            boolean pathOk = spec.pathKind().equals("path") ? path.equals(spec.path())
                    : path.startsWith(spec.path()) && (spec.path().endsWith("/")
                            || path.length() == spec.path().length() || path.charAt(spec.path().length()) == '/');
            boolean methodOk = spec.methods().isEmpty() || spec.methods().contains(method);
            if (hostOk && pathOk && methodOk) {
                return spec.name();
            }
        }
        return null;
    }

    private static String normalizeHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close < 0 ? h : h.substring(0, close + 1);
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static boolean hostMatches(String pattern, String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return host.endsWith(suffix) && host.length() > suffix.length();
        }
        return host.equals(pattern);
    }
}
