package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What synedge adds to and removes from heads (S §7.6), byte for byte at both ends: the exact
 * head the upstream receives and the exact head the client gets back.
 */
class ForwardedHeadTest {

    /** One request through a fresh proxy: the bytes the upstream got, and the client's response. */
    private record Forwarded(String upstream, RawClient.Response response) {}

    private static Forwarded forward(String routeSettings, String extraConfig, String request, String answer)
            throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> RecordingUpstream.Action.respond(answer));
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up, %s } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     %s
                     """.formatted(routeSettings, upstream.port(), extraConfig));
             RawClient client = RawClient.connect(proxy.address())) {
            client.send(request);
            RawClient.Response response = client.read(request.startsWith("HEAD "));
            return new Forwarded(upstream.nextRequest().text(), response);
        }
    }

    private static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String XF = "X-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\n"
            + "X-Forwarded-Host: a.example\r\n";

    @Test
    void hopByHopFieldsAndEveryFieldConnectionNamesAreDroppedBothWays() throws Exception {
        Forwarded f = forward("x-forwarded = off", "", """
                GET /p HTTP/1.1\r
                Host: a.example\r
                Connection: keep-alive, X-Secret, x-other\r
                Keep-Alive: timeout=5\r
                X-Secret: s\r
                Proxy-Connection: keep-alive\r
                TE: trailers\r
                Upgrade: h2c\r
                X-Other: o\r
                Trailer: X-T\r
                X-Keep: k\r
                \r
                """, """
                HTTP/1.1 200 OK\r
                Connection: X-Resp, keep-alive\r
                X-Resp: r\r
                Keep-Alive: timeout=5\r
                Proxy-Connection: keep-alive\r
                Upgrade: h2c\r
                X-Keep: k\r
                Content-Length: 2\r
                \r
                ok""");
        assertThat(f.upstream()).isEqualTo("GET /p HTTP/1.1\r\nHost: a.example\r\nX-Keep: k\r\nVia: 1.1 synedge\r\n\r\n");
        assertThat(f.response().rawText()).isEqualTo("HTTP/1.1 200 OK\r\nX-Keep: k\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void fieldsWithTheSameNameKeepTheirOrderAndBytes() throws Exception {
        Forwarded f = forward("x-forwarded = off", "",
                "GET /p HTTP/1.1\r\nX-A: 1\r\nHost: a.example\r\nx-b:2\r\nX-A:   3  \r\nCookie: c=1\r\nCookie: d=2\r\n\r\n",
                "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Z: z\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\n\r\nok");
        assertThat(f.upstream()).isEqualTo("GET /p HTTP/1.1\r\nHost: a.example\r\nX-A: 1\r\nx-b:2\r\nX-A:   3  \r\n"
                + "Cookie: c=1\r\nCookie: d=2\r\nVia: 1.1 synedge\r\n\r\n");
        assertThat(f.response().rawText()).isEqualTo(
                "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Z: z\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\n\r\nok");
    }

    @Test
    void viaIsAppendedToTheLastViaOfRequestsAndOptionallyOfResponses() throws Exception {
        Forwarded f = forward("x-forwarded = off", "synedge.http { via = edge-7, via-on-responses = true }",
                "GET / HTTP/1.1\r\nHost: a.example\r\nVia: 1.0 fred\r\nVia: 1.1 p.example\r\n\r\n",
                "HTTP/1.1 200 OK\r\nVia: 1.1 origin\r\nContent-Length: 2\r\n\r\nok");
        assertThat(f.upstream()).isEqualTo(
                "GET / HTTP/1.1\r\nHost: a.example\r\nVia: 1.0 fred\r\nVia: 1.1 p.example, 1.1 edge-7\r\n\r\n");
        assertThat(f.response().rawText()).isEqualTo(
                "HTTP/1.1 200 OK\r\nVia: 1.1 origin, 1.1 edge-7\r\nContent-Length: 2\r\n\r\nok");

        Forwarded plain = forward("x-forwarded = off", "synedge.http.via-on-responses = true",
                "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n", OK);
        assertThat(plain.response().rawText())
                .isEqualTo("HTTP/1.1 200 OK\r\nVia: 1.1 synedge\r\nContent-Length: 2\r\n\r\nok");
    }

    private static final String FROM_A_PROXY = """
            GET /f HTTP/1.1\r
            Host: a.example\r
            X-Forwarded-For: 192.0.2.1\r
            X-Forwarded-Proto: https\r
            X-Forwarded-Host: front.example\r
            Forwarded: for=192.0.2.1;proto=https\r
            X-Keep: k\r
            \r
            """;

    @ParameterizedTest(name = "x-forwarded = {0}, forwarded = {1}, trusted = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            append  | off     | false | X-Keep: k\\r\\nVia: 1.1 synedge\\r\\nX-Forwarded-For: 127.0.0.1\\r\\nX-Forwarded-Proto: http\\r\\nX-Forwarded-Host: a.example\\r\\n
            append  | off     | true  | X-Forwarded-For: 192.0.2.1, 127.0.0.1\\r\\nX-Forwarded-Proto: https\\r\\nX-Forwarded-Host: front.example\\r\\nX-Keep: k\\r\\nVia: 1.1 synedge\\r\\n
            replace | off     | true  | X-Keep: k\\r\\nVia: 1.1 synedge\\r\\nX-Forwarded-For: 127.0.0.1\\r\\nX-Forwarded-Proto: http\\r\\nX-Forwarded-Host: a.example\\r\\n
            off     | off     | true  | X-Keep: k\\r\\nVia: 1.1 synedge\\r\\n
            off     | append  | false | X-Keep: k\\r\\nVia: 1.1 synedge\\r\\nForwarded: for=127.0.0.1;host=a.example;proto=http\\r\\n
            off     | append  | true  | Forwarded: for=192.0.2.1;proto=https, for=127.0.0.1;host=a.example;proto=http\\r\\nX-Keep: k\\r\\nVia: 1.1 synedge\\r\\n
            off     | replace | true  | X-Keep: k\\r\\nVia: 1.1 synedge\\r\\nForwarded: for=127.0.0.1;host=a.example;proto=http\\r\\n
            """)
    void forwardingFieldsFollowTheRoutePolicyAndTrustOnlyConfiguredHops(String xForwarded, String forwarded,
                                                                      boolean trusted, String fields) throws Exception {
        Forwarded f = forward("x-forwarded = " + xForwarded + ", forwarded = " + forwarded
                + ", trusted-hops = " + (trusted ? "[\"127.0.0.0/8\"]" : "[\"192.0.2.0/24\"]"), "", FROM_A_PROXY, OK);
        assertThat(f.upstream()).isEqualTo("GET /f HTTP/1.1\r\nHost: a.example\r\n"
                + fields.replace("\\r\\n", "\r\n") + "\r\n");
    }

    @Test
    void anIpv6ClientIsBracketedAndQuotedInForwarded() throws Exception {
        KernelRequirement.require(ipv6Loopback(), "IPv6 loopback", "no ::1 on this host");
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> RecordingUpstream.Action.respond(OK));
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "::1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up, forwarded = append } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()));
             RawClient client = RawClient.connect(new InetSocketAddress("::1", proxy.port()))) {
            client.send("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
            assertThat(client.read().status()).isEqualTo(200);
            assertThat(upstream.nextRequest().text()).isEqualTo("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n"
                    + "Via: 1.1 synedge\r\nX-Forwarded-For: ::1\r\nX-Forwarded-Proto: http\r\n"
                    + "X-Forwarded-Host: [::1]:8080\r\nForwarded: for=\"[::1]\";host=\"[::1]:8080\";proto=http\r\n\r\n");
        }
    }

    private static boolean ipv6Loopback() throws Exception {
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        return lo != null && lo.inetAddresses().anyMatch(a -> a instanceof Inet6Address && a.isLoopbackAddress());
    }

    @Test
    void routeHeaderEditsApplyToRequestsAndResponses() throws Exception {
        Forwarded f = forward("""
                x-forwarded = off
                request-headers { add { X-Env = prod, X-Team = "edge ops" }, remove = [ x-debug, User-Agent ] }
                response-headers { add { X-Served-By = synedge }, remove = [ server ] }
                """, "", "POST /e HTTP/1.1\r\nHost: a.example\r\nX-Debug: 1\r\nUser-Agent: t\r\nX-Keep: k\r\n"
                + "Content-Length: 3\r\n\r\nabc",
                "HTTP/1.1 201 Created\r\nServer: origin/1\r\nX-Keep: k\r\nContent-Length: 2\r\n\r\nok");
        assertThat(f.upstream()).isEqualTo("POST /e HTTP/1.1\r\nHost: a.example\r\nX-Keep: k\r\nVia: 1.1 synedge\r\n"
                + "X-Env: prod\r\nX-Team: edge ops\r\nContent-Length: 3\r\n\r\nabc");
        assertThat(f.response().rawText()).isEqualTo(
                "HTTP/1.1 201 Created\r\nX-Keep: k\r\nX-Served-By: synedge\r\nContent-Length: 2\r\n\r\nok");
    }

    @ParameterizedTest(name = "{0}: {1} with rewrite-prefix {2} -> {3}")
    @CsvSource({
        "path-prefix = /api,  /api/users?x=1, /,    /users?x=1",
        "path-prefix = /api,  /api,           /,    /",
        "path-prefix = /api,  /api/,          /,    /",
        "path-prefix = /api,  /api?q=1,       /,    /?q=1",
        "path-prefix = /api,  /api/users,     /v2,  /v2/users",
        "path-prefix = /api,  /api,           /v2,  /v2",
        "path-prefix = /api,  /api/a/b,       /v2/, /v2/a/b",
        "path-prefix = /api/, /api/a,         /v2,  /v2/a",
        "path-prefix = /api/, /api/a,         /,    /a",
        "path-prefix = /,     /a/b?c,         /v2,  /v2/a/b?c",
        "path-prefix = /,     /,              /v2/, /v2/",
        "path = /healthz,     /healthz?probe, /status, /status?probe",
        "path = /healthz,     /healthz,       /,    /",
    })
    void matchedPathIsRewritten(String match, String target, String rewrite, String forwarded) throws Exception {
        String[] m = match.split(" = ");
        Forwarded f = forward("x-forwarded = off, match." + m[0] + " = \"" + m[1] + "\", rewrite-prefix = \"" + rewrite
                + "\"", "", "GET " + target + " HTTP/1.1\r\nHost: a.example\r\n\r\n", OK);
        assertThat(f.upstream()).isEqualTo("GET " + forwarded + " HTTP/1.1\r\nHost: a.example\r\nVia: 1.1 synedge\r\n\r\n");
    }

    @Test
    void anAbsoluteFormTargetsAuthorityOverridesHostForRoutingAndForwarding() throws Exception {
        try (RecordingUpstream a = RecordingUpstream.start(r -> RecordingUpstream.Action.respond(OK));
             RecordingUpstream b = RecordingUpstream.start(r -> RecordingUpstream.Action.respond(OK));
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = b, cluster = b, match.hosts = [ b.example ], x-forwarded = off },
                                        { name = a, cluster = a, x-forwarded = off } ]
                     synedge.clusters.a.endpoints = [ "127.0.0.1:%d" ]
                     synedge.clusters.b.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(a.port(), b.port()));
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET http://B.example:8080/x?q=1 HTTP/1.1\r\nHost: a.example\r\n\r\n"
                    + "GET HTTP://b.example HTTP/1.1\r\nHost: a.example\r\n\r\n"
                    + "OPTIONS http://b.example HTTP/1.1\r\nHost: a.example\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                assertThat(client.read().status()).isEqualTo(200);
            }
            assertThat(b.requestTexts()).containsExactly(
                    "GET /x?q=1 HTTP/1.1\r\nHost: B.example:8080\r\nVia: 1.1 synedge\r\n\r\n",
                    "GET / HTTP/1.1\r\nHost: b.example\r\nVia: 1.1 synedge\r\n\r\n",
                    "OPTIONS * HTTP/1.1\r\nHost: b.example\r\nVia: 1.1 synedge\r\n\r\n");
            assertThat(a.connectionCount()).isZero();
        }
    }

    @Test
    void anHttp10RequestWithoutHostIsForwardedWithTheEndpointsAuthority() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(r -> RecordingUpstream.Action.respond(OK));
             TestProxy proxy = TestProxy.start("""
                     synedge.event-loops = 1
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = all, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(upstream.port()));
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /old HTTP/1.0\r\nUser-Agent: t\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.rawText()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            assertThat(upstream.nextRequest().text()).isEqualTo("GET /old HTTP/1.1\r\nHost: 127.0.0.1:" + upstream.port()
                    + "\r\nUser-Agent: t\r\nVia: 1.1 synedge\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: http\r\n\r\n");
        }
    }
}
