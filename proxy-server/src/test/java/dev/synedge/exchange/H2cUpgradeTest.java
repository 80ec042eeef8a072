package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.Termination;
import dev.synedge.testing.Curl;
import dev.synedge.testing.H2cOrigin;
import dev.synedge.testing.RawClient;
import dev.synedge.testing.RecordingUpstream;
import dev.synedge.testing.TestProxy;
import org.junit.jupiter.api.Test;

/**
 * h2c upgrades (Upgrade: h2c with HTTP2-Settings, RFC 7540 §3.2) reach the upstream as plain
 * HTTP/1.1: synedge speaks no HTTP/2, and a relayed 101 would leave a tunnel that carries any
 * number of requests past routing and the access log (h2c smuggling). The upstream here would
 * upgrade if asked, as curl --http2 shows without synedge between them.
 */
class H2cUpgradeTest {

    private static final String CONFIG = """
            synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
            synedge.routes = [ { name = all, cluster = up } ]
            synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
            """;

    @Test
    void theOriginUpgradesWhenCurlAsksItDirectly() throws Exception {
        try (H2cOrigin origin = H2cOrigin.start()) {
            Curl.Result direct = Curl.run("--http2", "-w", " %{http_version}", "http://127.0.0.1:" + origin.port() + "/");
            assertThat(direct.exit()).as(direct.stderr()).isZero();
            assertThat(direct.body()).isEqualTo("h2 2");
        }
    }

    @Test
    void curlsUpgradeGoesUpAsPlainHttp11() throws Exception {
        try (H2cOrigin origin = H2cOrigin.start();
             TestProxy proxy = TestProxy.start(CONFIG.formatted(origin.port()))) {
            Curl.Result result = Curl.run("--http2", "-w", " %{http_version}", proxy.url("/via"));
            assertThat(result.exit()).as(result.stderr()).isZero();
            assertThat(result.body()).isEqualTo("http/1.1 1.1");
            assertThat(origin.http11Heads()).singleElement().satisfies(head -> {
                assertThat(head).startsWith("GET /via");
                assertThat(head.toLowerCase()).doesNotContain("upgrade").doesNotContain("http2-settings");
            });
            AccessRecord record = proxy.nextExchange();
            assertThat(record.status()).isEqualTo(200);
            assertThat(record.termination()).isEqualTo(Termination.COMPLETED);
        }
    }

    /**
     * An upstream that switches to h2c all the same, offered or not, gets 502: synedge never
     * tunnels h2c, also when the request offered it beside a protocol it does tunnel.
     */
    @Test
    void a101ToH2cIsNeverTunnelled() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.start(request -> RecordingUpstream.Action.respond(
                     "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"));
             TestProxy proxy = TestProxy.start(CONFIG.formatted(upstream.port()))) {
            for (String upgrade : new String[] {"h2c", "websocket, h2c"}) {
                try (RawClient client = RawClient.connect(proxy.address())) {
                    client.send("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: " + upgrade + "\r\n"
                            + "Connection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n");
                    assertThat(client.read().status()).as(upgrade).isEqualTo(502);
                }
                assertThat(proxy.nextExchange().termination()).isEqualTo(Termination.UPSTREAM_PROTOCOL_ERROR);
            }
        }
    }

    /** HTTP2-Settings is hop-by-hop (RFC 7540 §3.2.1) even when Connection does not name it. */
    @Test
    void http2SettingsNeverGoesUp() throws Exception {
        try (H2cOrigin origin = H2cOrigin.start();
             TestProxy proxy = TestProxy.start(CONFIG.formatted(origin.port()));
             RawClient client = RawClient.connect(proxy.address())) {
            client.send("GET /raw HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("http/1.1");
            assertThat(response.header("Connection")).isNull();
            assertThat(origin.http11Heads()).singleElement().satisfies(head ->
                    assertThat(head.toLowerCase()).doesNotContain("upgrade").doesNotContain("http2-settings"));
            client.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(client.read().bodyText()).isEqualTo("http/1.1");
        }
    }
}
