package dev.synedge.loadtest.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.synedge.loadtest.report.BenchmarksReport;
import dev.synedge.loadtest.report.Charts;
import dev.synedge.loadtest.report.JsonReport;
import dev.synedge.loadtest.report.MarkdownReport;
import dev.synedge.loadtest.report.Summary;
import dev.synedge.loadtest.scenario.Scenario;
import dev.synedge.loadtest.scenario.ScenarioLoader;
import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny comparison end to end: two origins (one embedded, one a process the runner starts
 * and stops), two scenarios, two rounds; then the JSON, Markdown and plots made from it.
 */
class ComparisonRunnerTest {

    private static final Scenario TINY = ScenarioLoader.parse("""
            description = "two kinds of request, 4 connections"
            load { connections = 4, warmup = 200ms, duration = 600ms }
            requests = [ { path = /hello, expect-length = 5, weight = 3 }, { path = /1k.bin, expect-length = 1k } ]
            """, "tiny");

    private static final Scenario IDLE = ScenarioLoader.parse("""
            description = "idle connections"
            load { mode = idle, connections = 100, connect-concurrency = 20, settle = 100ms }
            requests = [ /hello ]
            fresh-target = true
            report.metric = memory-per-connection
            """, "idle");

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String originCommand(int port) {
        return Path.of(System.getProperty("java.home"), "bin", "java") + " --enable-native-access=ALL-UNNAMED"
                + " -Dlogback.configurationFile=/dev/null -Xmx256m -cp " + System.getProperty("java.class.path")
                + " dev.synedge.origin.OriginMain --port " + port;
    }

    @Test
    void twoTargetsTwoRounds(@TempDir Path dir) throws Exception {
        int port = freePort();
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        Comparison c;
        try (Origin embedded = Origin.start(OriginOptions.defaults())) {
            Target a = Target.of("a", URI.create("http://127.0.0.1:" + embedded.port()));
            Target b = Target.of("b", URI.create("http://127.0.0.1:" + port)).withStartCommand(originCommand(port));
            ComparisonRunner runner = new ComparisonRunner(List.of(TINY, IDLE), List.of(a, b),
                    new ComparisonRunner.Options(2, 1, "a", Duration.ZERO, dir.resolve("logs"), null), RttControl.none(log),
                    Progress.plain(log));
            c = runner.run("bin/synedge bench tiny.conf idle.conf a=... b=...");
        }
        // The runner stopped the process it started.
        assertThat(accepts(port)).isFalse();

        assertThat(c.runs()).hasSize(8);
        assertThat(c.runs()).allMatch(RunRecord::ok);
        assertThat(c.runs().subList(0, 4)).extracting(RunRecord::target).containsExactly("a", "b", "a", "b");
        assertThat(c.runs().subList(0, 4)).extracting(RunRecord::round).containsExactly(1, 1, 2, 2);
        for (RunRecord r : c.runs(TINY.name(), "a")) {
            assertThat(r.usage()).as("embedded origin: no process of its own").isNull();
            assertThat(r.result().errors()).isEmpty();
            assertThat(r.result().requests()).isPositive();
        }
        for (RunRecord r : c.runs(TINY.name(), "b")) {
            assertThat(r.usage()).isNotNull();
            assertThat(r.usage().processes()).isEqualTo(1);
            assertThat(r.usage().cpuSeconds()).isBetween(0.001, 10.0);
            assertThat(r.usage().rssPeak()).isBetween(20L << 20, 2L << 30);
        }
        for (RunRecord r : c.runs(IDLE.name(), "b")) {
            assertThat(r.result().requests()).isEqualTo(100);
            assertThat(r.usage().rssEnd()).isPositive();
        }
        assertThat(c.targets()).extracting(Comparison.TargetInfo::watched).containsExactly(false, true);
        assertThat(c.targets().get(1).version()).startsWith("java ");
        String logText = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(logText).contains("tiny", "round 2", "req/s");
        // One warm-up run per target before tiny's measured rounds, logged and not recorded;
        // none for idle, which measures freshly started targets.
        assertThat(logText.lines().filter(l -> l.contains("warm-up") && l.contains("req/s")))
                .hasSize(2)
                .allMatch(l -> l.startsWith(TINY.name()) && l.endsWith("(not recorded)"));
        assertThat(c.warmupRounds()).isEqualTo(1);
        // Before each idle run the runner restarted b (started once, then twice more); a, which
        // it cannot restart, makes the scenario not fresh and says so.
        String bLog = Files.readString(dir.resolve("logs").resolve("b.log"));
        assertThat(bLog.lines().filter(l -> l.startsWith("synedge origin listening on"))).hasSize(3);
        assertThat(c.scenarios().get(1).freshTargets()).isFalse();
        assertThat(logText).contains("some targets were not restarted");

        List<Summary.ScenarioSummary> summaries = Summary.of(c);
        Summary.TargetSummary sa = summaries.getFirst().targets().get(0);
        Summary.TargetSummary sb = summaries.getFirst().targets().get(1);
        assertThat(sa.ratio().median()).isEqualTo(1.0);
        assertThat(sa.ratio().n()).isEqualTo(2);
        assertThat(sb.ratio().median()).isBetween(0.05, 20.0);
        assertThat(sb.metric().min()).isLessThanOrEqualTo(sb.metric().median());
        assertThat(sb.metric().max()).isGreaterThanOrEqualTo(sb.metric().median());

        Config json = ConfigFactory.parseString(JsonReport.render(c, summaries));
        assertThat(json.getString("baseline")).isEqualTo("a");
        assertThat(json.getInt("rounds")).isEqualTo(2);
        assertThat(json.getInt("warmup_rounds")).isEqualTo(1);
        assertThat(json.getConfigList("targets")).hasSize(2);
        List<? extends Config> scenarios = json.getConfigList("scenarios");
        assertThat(scenarios).extracting(s -> s.getString("name")).containsExactly("tiny", "idle");
        Config tiny = scenarios.getFirst();
        assertThat(tiny.getString("metric")).isEqualTo("rps");
        assertThat(tiny.getConfigList("summary")).hasSize(2);
        assertThat(tiny.getConfigList("summary").getFirst().getDouble("ratio.median")).isEqualTo(1.0);
        assertThat(tiny.getConfigList("runs")).hasSize(4);
        Config run = tiny.getConfigList("runs").get(1);
        assertThat(run.getString("target")).isEqualTo("a");
        assertThat(run.getInt("round")).isEqualTo(2);
        assertThat(run.getDouble("latency_ms.p99")).isPositive();
        assertThat(tiny.getConfigList("runs")).extracting(r -> r.getString("target")).containsExactly("a", "a", "b", "b");
        assertThat(tiny.getConfigList("runs").get(2).getDouble("target_usage.cpu_s")).isPositive();
        assertThat(tiny.getConfigList("runs").get(0).hasPath("target_usage")).isFalse();
        assertThat(scenarios.get(1).getString("metric")).isEqualTo("memory-per-connection");

        String md = MarkdownReport.tables(c, summaries);
        assertThat(md).contains("### tiny", "### idle", "| a |", "| b |", "× a median (min–max)", "req/s",
                "KiB/connection");
        assertThat(md.lines().filter(l -> l.startsWith("| a |") || l.startsWith("| b |"))).hasSize(4);

        List<Path> plots = Charts.write(c, summaries, dir);
        assertThat(plots).extracting(p -> p.getFileName().toString()).contains("throughput.png");
        for (Path plot : plots) {
            byte[] png = Files.readAllBytes(plot);
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
            assertThat(png.length).isBetween(1_000, 300_000);
        }
        Path report = dir.resolve("BENCHMARKS.md");
        String doc = BenchmarksReport.render(c, summaries, report, plots, dir.resolve("results.json"));
        assertThat(doc).contains("# synedge benchmarks", "## Machine", "## Targets", "## Reproduce",
                "bin/synedge bench tiny.conf", "](throughput.png)", "](results.json)");
    }
}
