package dev.synedge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.TestProxy;
import dev.synedge.testkit.KernelRequirement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's prometheus package) scrapes synedge's admin API, with the
 * token, once a second; its HTTP API must then say that the target is up and that the counter
 * of the exchanges this test sent reached their number.
 */
class PrometheusScrapeTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final String TOKEN = "scrape-token";
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.e+]+,\"([^\"]+)\"]");

    @TempDir
    Path dir;

    @Test
    void prometheusScrapesTheAdminApiAndSeesTheExchangesSent() throws Exception {
        KernelRequirement.require(Files.isExecutable(PROMETHEUS), "prometheus",
                PROMETHEUS + " not found; apt-get install prometheus");
        try (Origin origin = Origin.start(OriginOptions.defaults());
             TestProxy proxy = TestProxy.start("""
                     synedge.admin { enabled = true, token = "%s" }
                     synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                     synedge.routes = [ { name = r, cluster = up } ]
                     synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                     """.formatted(TOKEN, origin.port()))) {
            int sent = 7;
            for (int i = 0; i < sent; i++) {
                assertThat(AdminClient.get(proxy.url("/hello")).statusCode()).isEqualTo(200);
            }
            String target = proxy.adminUrl("").substring("http://".length());
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: synedge
                        authorization:
                          credentials: %s
                        static_configs:
                          - targets: ["%s"]
                    """.formatted(TOKEN, target));
            int port = freePort();
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
                assertThat(awaitValue(api, "up{job=\"synedge\"}", "1")).isEqualTo("1");
                assertThat(awaitValue(api, "synedge_exchanges_total{job=\"synedge\",route=\"r\",status_class=\"2xx\"}",
                        String.valueOf(sent))).isEqualTo(String.valueOf(sent));
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** A port free now on loopback, for Prometheus's own listener. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Asks Prometheus for {@code query} until its one result is {@code expected}, for up to 30 s
     * (its start and first scrapes take a few seconds); returns the last value seen.
     */
    private String awaitValue(String api, String query, String expected) throws Exception {
        String last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            try {
                HttpResponse<String> answer = AdminClient.get(api + URLEncoder.encode(query, StandardCharsets.UTF_8));
                Matcher m = VALUE.matcher(answer.body());
                if (m.find()) {
                    last = m.group(1);
                    if (last.equals(expected)) {
                        return last;
                    }
                }
            } catch (IOException starting) {
                // Prometheus is not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(query + " never became " + expected + " (last " + last + "); Prometheus said:\n"
                + Files.readString(dir.resolve("prometheus.log")));
    }
}
