package dev.synedge.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.ConfigLoader;
import dev.synedge.config.RouteConfig;
import dev.synedge.http.Method;
import dev.synedge.http.ForwardedMode;
import dev.synedge.http.HeaderEdits;
import dev.synedge.http.ClientHop;
import dev.synedge.http.HttpLimits;
import dev.synedge.http.ParseProgress;
import dev.synedge.http.RequestHeadWriter;
import dev.synedge.http.RequestHeadParser;
import dev.synedge.http.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RouterTest {

    /** Exact, wildcard and any-host routes interleaved, so that order decides between them. */
    private static final Router ROUTER = router("""
            { name = any-health, match.path = "/healthz", cluster = c }
            { name = exact-api, match { hosts = ["api.example.com"], path-prefix = "/v1" }, cluster = c }
            { name = wild-api, match { hosts = ["*.example.com"], path-prefix = "/v1" }, cluster = c }
            { name = exact-get, match { hosts = ["Example.COM"], methods = [GET, HEAD] }, cluster = c }
            { name = deep-wild, match { hosts = ["*.b.example.com"] }, cluster = c }
            { name = literals, match { hosts = ["[::1]", "127.0.0.1"], path-prefix = "/api/" }, cluster = c }
            { name = any-static, match.path-prefix = "/static", cluster = c }
            { name = exact-late, match.hosts = ["late.example.com", "other.org"], cluster = c }
            { name = post-only, match.methods = [POST], cluster = c }
            { name = fallback-wild, match.hosts = ["*.example.com", "*.example.net"], cluster = c }
            """);

    static Stream<Arguments> cases() {
        return Stream.of(
                // host, path, method, expected route (null = 404)
                Arguments.of("anything.org", "/healthz", Method.GET, "any-health"),
                Arguments.of("api.example.com", "/healthz", Method.POST, "any-health"),
                Arguments.of("api.example.com", "/healthz/", Method.GET, "fallback-wild"),
                Arguments.of("api.example.com", "/v1/users", Method.GET, "exact-api"),
                Arguments.of("API.Example.COM:8443", "/v1", Method.GET, "exact-api"),
                Arguments.of("api.example.com.", "/v1/", Method.GET, "exact-api"),
                Arguments.of("api.example.com.:80", "/v1", Method.GET, "exact-api"),
                Arguments.of("api.example.com", "/v1x", Method.GET, "fallback-wild"),
                Arguments.of("api.example.com", "/V1", Method.GET, "fallback-wild"),
                Arguments.of("www.example.com", "/v1/x", Method.GET, "wild-api"),
                Arguments.of("a.b.example.com", "/v1", Method.GET, "wild-api"),
                Arguments.of("a.b.example.com", "/other", Method.GET, "deep-wild"),
                Arguments.of("x.y.z.b.EXAMPLE.com", "/other", Method.GET, "deep-wild"),
                Arguments.of("b.example.com", "/other", Method.GET, "fallback-wild"),
                Arguments.of("example.com", "/", Method.GET, "exact-get"),
                Arguments.of("example.com", "/v1", Method.HEAD, "exact-get"),
                Arguments.of("example.com", "/", Method.POST, "post-only"),
                Arguments.of("example.com", "/", Method.DELETE, null),
                Arguments.of("example.com", "/", Method.OTHER, null),
                Arguments.of("notexample.com", "/", Method.GET, null),
                Arguments.of(".example.com", "/", Method.GET, null),
                Arguments.of("www.example.net", "/", Method.PUT, "fallback-wild"),
                Arguments.of("[::1]:8080", "/api/x", Method.GET, "literals"),
                Arguments.of("[::1]", "/api/", Method.GET, "literals"),
                Arguments.of("[::1]", "/api", Method.GET, null),
                Arguments.of("[::2]:8080", "/api/x", Method.GET, null),
                Arguments.of("127.0.0.1:80", "/api/v2", Method.GET, "literals"),
                Arguments.of("", "/static/app.js", Method.GET, "any-static"),
                Arguments.of("", "/static", Method.GET, "any-static"),
                Arguments.of("", "/staticfile", Method.GET, null),
                Arguments.of("", "/v1", Method.GET, null),
                Arguments.of("", "/", Method.POST, "post-only"),
                Arguments.of("late.example.com", "/v1", Method.GET, "wild-api"),
                Arguments.of("late.example.com", "/static/x", Method.GET, "any-static"),
                Arguments.of("LATE.example.com", "/x", Method.GET, "exact-late"),
                Arguments.of("other.org", "/x", Method.PATCH, "exact-late"),
                Arguments.of("x.example.com", "/staticfile", Method.GET, "fallback-wild"));
    }

    @ParameterizedTest(name = "{2} {0}{1} -> {3}")
    @MethodSource("cases")
    void firstMatchingRouteWins(String host, String path, Method method, String expected) {
        assertThat(matchName(ROUTER, host, path, method)).isEqualTo(expected);
        assertThat(linearFirstMatch(host, path, method)).as("oracle").isEqualTo(expected);
    }

    @Test
    void exactPathsMatchOnlyThemselves() {
        Router router = router("""
                { name = exact, match.path = "/a/b", cluster = c }
                { name = root, match.path = "/", cluster = c }
                """);

        assertThat(matchName(router, "h", "/a/b", Method.GET)).isEqualTo("exact");
        assertThat(matchName(router, "h", "/a/b/", Method.GET)).isNull();
        assertThat(matchName(router, "h", "/a", Method.GET)).isNull();
        assertThat(matchName(router, "h", "/", Method.GET)).isEqualTo("root");
        assertThat(matchName(router, "h", "", Method.GET)).as("empty path counts as /").isEqualTo("root");
    }

    @Test
    void longHostsAndPaths() {
        String longName = ("a".repeat(62) + ".").repeat(4) + "c";
        assertThat(longName).hasSize(253);
        Router router = router("""
                { name = long, match.hosts = ["%s"], cluster = c }
                { name = deep, match.path-prefix = "/%s", cluster = c }
                { name = any, cluster = c }
                """.formatted(longName, "p/".repeat(100) + "end"));

        assertThat(matchName(router, longName.toUpperCase() + ".:65535", "/", Method.GET)).isEqualTo("long");
        assertThat(matchName(router, "x" + longName, "/", Method.GET)).isEqualTo("any");
        assertThat(matchName(router, "h".repeat(5000), "/", Method.GET)).isEqualTo("any");
        assertThat(matchName(router, "[" + "1:".repeat(3000), "/", Method.GET)).isEqualTo("any");
        assertThat(matchName(router, "h", "/" + "p/".repeat(100) + "end/more", Method.GET)).isEqualTo("deep");
        assertThat(matchName(router, "h", "/" + "p/".repeat(100) + "endless", Method.GET)).isEqualTo("any");
        assertThat(matchName(router, "h", "/" + "x".repeat(20_000), Method.GET)).isEqualTo("any");
    }

    @Test
    void noRoutesMatchNothing() {
        Router router = Router.compile(List.of());

        assertThat(matchName(router, "example.com", "/", Method.GET)).isNull();
        assertThat(router.routes()).isEmpty();
    }

    @Test
    void manyExactHostsAllResolve() {
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            routes.append("{ name = r").append(i).append(", match.hosts = [\"h").append(i)
                    .append(".example.com\", \"*.w").append(i).append(".example.org\"], cluster = c }\n");
        }
        Router router = router(routes.toString());

        for (int i = 0; i < 500; i++) {
            assertThat(matchName(router, "H" + i + ".example.com", "/", Method.GET)).isEqualTo("r" + i);
            assertThat(matchName(router, "x.w" + i + ".example.org:1", "/", Method.GET)).isEqualTo("r" + i);
        }
        assertThat(matchName(router, "h500.example.com", "/", Method.GET)).isNull();
        assertThat(matchName(router, "w1.example.org", "/", Method.GET)).isNull();
    }

    @Test
    void routesCarryTheirSettings() {
        Router router = router("""
                { name = a, cluster = c, idempotent = true, x-forwarded = off, forwarded = replace,
                  trusted-hops = ["10.0.0.0/8"], request-headers.add { X-A = "1" } }
                """);

        Route route = router.routes().getFirst();
        assertThat(route.index()).isZero();
        assertThat(route.name()).isEqualTo("a");
        assertThat(route.cluster()).isEqualTo("c");
        assertThat(route.replaySafe(Method.POST)).isTrue();
        assertThat(route.xForwarded()).isEqualTo(dev.synedge.http.ForwardedMode.OFF);
        assertThat(route.forwarded()).isEqualTo(dev.synedge.http.ForwardedMode.REPLACE);
        assertThat(route.trustedHops().isEmpty()).isFalse();
        assertThat(route.requestHeaders().add()).extracting(f -> f.name() + "=" + f.value()).containsExactly("X-A=1");
        Route plain = router("{ name = b, cluster = c }").routes().getFirst();
        assertThat(plain.replaySafe(Method.POST)).isFalse();
        assertThat(plain.replaySafe(Method.GET)).isTrue();
        assertThat(plain.trustedHops()).isSameAs(TrustedHops.NONE);
    }

    static Stream<Arguments> rewrites() {
        return Stream.of(
                // match, rewrite-prefix (null = none), request path, forwarded path
                Arguments.of("path-prefix = \"/api\"", "/", "/api/users", "/users"),
                Arguments.of("path-prefix = \"/api\"", "/", "/api", "/"),
                Arguments.of("path-prefix = \"/api\"", "/v2", "/api/users", "/v2/users"),
                Arguments.of("path-prefix = \"/api\"", "/v2", "/api", "/v2"),
                Arguments.of("path-prefix = \"/api\"", "/v2/", "/api/users", "/v2/users"),
                Arguments.of("path-prefix = \"/api/\"", "/", "/api/users", "/users"),
                Arguments.of("path-prefix = \"/api/\"", "/v2/", "/api/", "/v2/"),
                Arguments.of("path-prefix = \"/\"", "/app", "/x/y", "/app/x/y"),
                Arguments.of("path-prefix = \"/\"", "/app/", "/x", "/app/x"),
                Arguments.of("path-prefix = \"/\"", "/app", "", "/app"),
                Arguments.of("path = \"/old\"", "/new", "/old", "/new"),
                Arguments.of("path-prefix = \"/api\"", null, "/api//x%2F", "/api//x%2F"),
                Arguments.of("path-prefix = \"/\"", null, "", "/"));
    }

    /** The route's rewrite pair, applied by the head writer the proxy uses, in a forwarded request line. */
    @ParameterizedTest(name = "{0} rewrite {1}: {2} -> {3}")
    @MethodSource("rewrites")
    void theForwardedPathHasTheMatchedPrefixReplaced(String match, String rewrite, String path, String expected) {
        Router router = router("{ name = r, cluster = c, match { " + match + " }"
                + (rewrite == null ? "" : ", rewrite-prefix = \"" + rewrite + "\"") + " }");
        String target = path.isEmpty() ? "http://x?q=1" : path + "?q=1";
        ByteBuf request = Unpooled.copiedBuffer("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n",
                StandardCharsets.US_ASCII);
        ByteBuf out = Unpooled.buffer();
        try {
            RequestHead head = new RequestHead();
            assertThat(new RequestHeadParser(HttpLimits.DEFAULTS).parse(request, head)).isEqualTo(ParseProgress.DONE);
            Route route = router.match(request, head.hostStart(), head.hostEnd(), head.pathStart(), head.queryStart(),
                    Method.GET);
            assertThat(route).isNotNull();
            assertThat(route.rewriteTo() != null).isEqualTo(rewrite != null);

            new RequestHeadWriter("synedge", ForwardedMode.OFF, ForwardedMode.OFF, HeaderEdits.NONE,
                    route.rewriteFrom(), route.rewriteTo()).write(head, ClientHop.unknown(false, false), false, out);

            String line = out.toString(StandardCharsets.US_ASCII).lines().findFirst().orElseThrow();
            assertThat(line).isEqualTo("GET " + expected + "?q=1 HTTP/1.1");
        } finally {
            request.release();
            out.release();
        }
    }

    /** What first-match-wins means, spelled out: scan the routes in order. */
    private static String linearFirstMatch(String host, String path, Method method) {
        List<RouteConfig> configs = ROUTER.routes().stream().map(Route::config).toList();
        for (RouteConfig config : configs) {
            Router single = Router.compile(List.of(config));
            if (matchName(single, host, path, method) != null) {
                return config.name();
            }
        }
        return null;
    }

    /** Matches against a direct buffer holding other bytes around the host and the path. */
    static String matchName(Router router, String host, String path, Method method) {
        ByteBuf buf = Unpooled.directBuffer();
        try {
            return matchName(router, buf, host, path, method);
        } finally {
            buf.release();
        }
    }

    /** As above, in a buffer the caller provides (and keeps owning). */
    static String matchName(Router router, ByteBuf buf, String host, String path, Method method) {
        buf.clear();
        buf.writeCharSequence("junk", StandardCharsets.US_ASCII);
        buf.writeCharSequence("GET http://" + host + path + "?query=1 HTTP/1.1\r\n", StandardCharsets.US_ASCII);
        int hostStart = 4 + "GET http://".length();
        int pathStart = hostStart + host.length();
        Route route = router.match(buf, hostStart, pathStart, pathStart, pathStart + path.length(), method);
        return route == null ? null : route.name();
    }

    static Router router(String routes) {
        List<String> lines = new ArrayList<>();
        lines.add("synedge.clusters.c.endpoints = [\"127.0.0.1:1\"]");
        lines.add("synedge.routes = [");
        lines.add(routes);
        lines.add("]");
        try {
            return Router.compile(ConfigLoader.load(String.join("\n", lines), "routes.conf").routes());
        } catch (dev.synedge.config.ConfigException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
