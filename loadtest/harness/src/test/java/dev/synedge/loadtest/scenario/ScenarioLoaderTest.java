package dev.synedge.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.loadtest.generator.Mode;
import dev.synedge.loadtest.http.RequestSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scenario files: the shipped ones are valid, and mistakes are named by file, line and key. */
class ScenarioLoaderTest {

    static Path scenariosDir() {
        String root = System.getenv("SYNEDGE_ROOT");
        Path dir = root != null ? Path.of(root, "loadtest", "scenarios") : Path.of("..", "scenarios");
        assertThat(dir).isDirectory();
        return dir;
    }

    @Test
    void everyShippedScenarioLoads() {
        List<Scenario> scenarios = ScenarioLoader.loadAll(List.of(scenariosDir()));
        assertThat(scenarios).extracting(Scenario::name).contains("keepalive-hello", "keepalive-64k",
                "keepalive-1m", "keepalive-16m", "connection-close", "open-loop-hello", "cold-ttfb-tfo",
                "cold-ttfb-plain", "idle-10k");
        for (Scenario s : scenarios) {
            assertThat(s.description()).as(s.name()).isNotBlank();
            assertThat(s.requests()).as(s.name()).isNotEmpty();
            // The runner's overrides start from toBuilder(): it must give the spec back unchanged.
            assertThat(s.load().toBuilder().build()).as(s.name()).isEqualTo(s.load());
        }
        Scenario tfo = scenarios.stream().filter(s -> s.name().equals("cold-ttfb-tfo")).findFirst().orElseThrow();
        assertThat(tfo.load().fastOpen()).isTrue();
        assertThat(tfo.load().connectionPerRequest()).isTrue();
        assertThat(tfo.rtt()).isEqualTo(Duration.ofMillis(20));
        assertThat(tfo.metric()).isEqualTo(Metric.TTFB_P50);
        Scenario idle = scenarios.stream().filter(s -> s.name().equals("idle-10k")).findFirst().orElseThrow();
        assertThat(idle.load().mode()).isEqualTo(Mode.IDLE);
        assertThat(idle.load().connections()).isEqualTo(10_000);
        Scenario big = scenarios.stream().filter(s -> s.name().equals("keepalive-16m")).findFirst().orElseThrow();
        assertThat(big.requests().getFirst().expectLength()).isEqualTo(16L << 20);
    }

    @Test
    void defaultsAndShorthands() {
        Scenario s = ScenarioLoader.parse("""
                load { mode = open, rate = 500, requests = 1000 }
                requests = [ /hello, { method = POST, path = /upload, body = 64k, weight = 3, headers = ["X-A: 1"] } ]
                """, "inline");
        assertThat(s.name()).isEqualTo("inline");
        assertThat(s.load().mode()).isEqualTo(Mode.OPEN);
        assertThat(s.load().requests()).isEqualTo(1000);
        assertThat(s.load().duration()).isZero();
        assertThat(s.load().warmup()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.metric()).isEqualTo(Metric.RPS);
        assertThat(s.requests()).containsExactly(RequestSpec.get("/hello"),
                new RequestSpec("POST", "/upload", 65536, List.of("X-A: 1"), 3, 200, -1));
    }

    private static void assertRefused(String text, String... fragments) {
        assertThatThrownBy(() -> ScenarioLoader.parse(text, "bad.conf"))
                .isInstanceOf(ScenarioException.class)
                .message().contains(fragments);
    }

    @Test
    void mistakesNameFileLineAndKey() {
        assertRefused("requests = [/hello]\nload {\n  conections = 5\n}\n", "bad.conf", "line 3", "load.conections",
                "unknown key");
        assertRefused("requests = [/hello]\nload.mode = fast\n", "line 2", "load.mode", "closed, open or idle");
        assertRefused("requests = [/hello]\nload { duration = 5s, requests = 10 }\n", "line 2", "load",
                "exactly one of duration and requests");
        assertRefused("load.connections = 0\nrequests = [/hello]\n", "load", "connections must be at least 1");
        assertRefused("load.warmup = soon\nrequests = [/hello]\n", "load.warmup");
        assertRefused("load.connections = 5\n", "requests: missing");
        assertRefused("requests = [ { path = hello } ]\n", "line 1", "requests[0]", "path must start with /");
        assertRefused("requests = [ { path = /a, colour = red } ]\n", "requests[0].colour", "unknown key");
        assertRefused("requests = [/a]\nreport.metric = speed\n", "line 2", "report.metric", "unknown metric");
        assertRefused("requests = [/a]\nload { mode = open }\n", "open loop needs a rate");
    }

    @Test
    void missingFileIsNamed() {
        Path missing = Path.of("no-such-scenario.conf");
        assertThat(Files.exists(missing)).isFalse();
        assertThatThrownBy(() -> ScenarioLoader.load(missing)).hasMessageContaining("no-such-scenario.conf");
    }
}
