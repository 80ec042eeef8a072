package dev.synedge.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.loadtest.generator.LoadResult;
import dev.synedge.loadtest.runner.Comparison;
import dev.synedge.loadtest.runner.MachineInfo;
import dev.synedge.loadtest.runner.RunRecord;
import dev.synedge.loadtest.runner.Target;
import dev.synedge.loadtest.runner.TargetUsage;
import dev.synedge.loadtest.scenario.Scenario;
import dev.synedge.loadtest.scenario.ScenarioLoader;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The arithmetic of the reports on known figures: medians, ranges and round-by-round ratios,
 * failed runs left out and named, and the plots' layout.
 */
class ReportTest {

    private static final Scenario RPS = ScenarioLoader.parse("requests = [/hello]", "rps");
    private static final List<Scenario> LATENCY = List.of(
            ScenarioLoader.parse("requests = [/hello]\nreport.metric = latency-p99", "lat-a"),
            ScenarioLoader.parse("requests = [/hello]\nreport.metric = latency-p50", "lat-b"),
            ScenarioLoader.parse("requests = [/hello]\nreport.metric = ttfb-p50\nload.connection-per-request = true",
                    "lat-c"));

    /** A run of {@code requests} over 1 s whose every latency is {@code millis}. */
    private static LoadResult result(Scenario s, long requests, long millis) {
        return result(s, requests, millis, 0, 500_000_000L);
    }

    private static LoadResult result(Scenario s, long requests, long millis, long lateStarts, long generatorCpu) {
        Histogram latency = new Histogram(3_600_000_000L, 3);
        latency.recordValueWithCount(millis * 1000, requests);
        return new LoadResult(s.load(), URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1), requests,
                requests * 5, Map.of(), latency, latency.copy(), new Histogram(3_600_000_000L, 3),
                new Histogram(3_600_000_000L, 3), lateStarts, 0, 0, 0, 0, 0, Map.of(), generatorCpu, 0);
    }

    private static Comparison comparison() {
        List<RunRecord> runs = new ArrayList<>();
        // req/s per round: a = 100, 200, 400; b = 50, 300, (failed)
        long[] a = {100, 200, 400};
        long[] b = {50, 300, -1};
        for (int round = 1; round <= 3; round++) {
            runs.add(new RunRecord("rps", "a", round, result(RPS, a[round - 1], 1),
                    new TargetUsage(0.5, 1 << 20, 2 << 20, 3 << 20, 1), null));
            runs.add(b[round - 1] < 0 ? new RunRecord("rps", "b", round, null, null, "nothing accepts connections")
                    : new RunRecord("rps", "b", round, result(RPS, b[round - 1], 1), null, null));
            for (Scenario s : LATENCY) {
                runs.add(new RunRecord(s.name(), "a", round, result(s, 10, 2 * round), null, null));
                runs.add(new RunRecord(s.name(), "b", round, result(s, 10, 3 * round), null, null));
            }
        }
        List<Comparison.ScenarioRun> scenarios = new ArrayList<>();
        scenarios.add(new Comparison.ScenarioRun(RPS, false, false));
        LATENCY.forEach(s -> scenarios.add(new Comparison.ScenarioRun(s, false, false)));
        return new Comparison(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:10:00Z"),
                new MachineInfo("cpu", 2, 1024, "6.18", "jdk", "4.2", "3", "0.5"), "bin/synedge bench x", scenarios,
                List.of(new Comparison.TargetInfo(Target.of("a", URI.create("http://127.0.0.1:1")), "1.0", true),
                        new Comparison.TargetInfo(Target.of("b", URI.create("http://127.0.0.1:2")), "2.0", false)),
                "a", 3, 1, runs);
    }

    @Test
    void mediansRangesAndRoundByRoundRatios() {
        List<Summary.ScenarioSummary> summaries = Summary.of(comparison());
        Summary.TargetSummary a = summaries.getFirst().targets().get(0);
        Summary.TargetSummary b = summaries.getFirst().targets().get(1);
        assertThat(a.metric()).isEqualTo(new Stat(200, 100, 400, 3));
        assertThat(a.ratio()).isEqualTo(new Stat(1, 1, 1, 3));
        // b's failed round is left out: rates 50 and 300, ratios 50/100 and 300/200.
        assertThat(b.metric()).isEqualTo(new Stat(175, 50, 300, 2));
        assertThat(b.ratio()).isEqualTo(new Stat(1.0, 0.5, 1.5, 2));
        assertThat(b.failures()).containsExactly("round 3: nothing accepts connections");
        // a's CPU: 0.5 s over 100, 200, 400 requests.
        assertThat(a.figures().get(Figure.TARGET_CPU_PER_REQUEST).median()).isEqualTo(2500.0);
        assertThat(b.figures().get(Figure.TARGET_CPU_PER_REQUEST).present()).isFalse();
        // Latency: b is 1.5 x a in every round.
        Summary.TargetSummary lat = summaries.get(1).targets().get(1);
        assertThat(lat.ratio().median()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.01));
    }

    /**
     * Rewriting a report keeps the sections written by hand after its marker line, once, at the
     * end, and says so at the top; a report without them gets neither.
     */
    @Test
    void aRewrittenReportKeepsItsHandWrittenSections(@TempDir Path dir) {
        Comparison c = comparison();
        Path file = dir.resolve("BENCHMARKS.md");
        Path json = dir.resolve("results.json");
        String plain = BenchmarksReport.render(c, Summary.of(c), file, List.of(), json);
        assertThat(BenchmarksReport.handWritten(plain)).isEmpty();
        assertThat(plain).doesNotContain("written by hand");

        String hand = BenchmarksReport.HAND_WRITTEN + "\n\n## Measured apart\n\nA table.\n";
        String first = BenchmarksReport.render(c, Summary.of(c), file, List.of(), json,
                BenchmarksReport.handWritten(plain + "\n" + hand));
        assertThat(first).startsWith(plain.substring(0, plain.indexOf("commit what it writes.") + 22))
                .contains("written by hand from other committed results")
                .endsWith("](results.json).\n\n" + hand);
        String again = BenchmarksReport.render(c, Summary.of(c), file, List.of(), json,
                BenchmarksReport.handWritten(first));
        assertThat(again).isEqualTo(first);
    }

    @Test
    void markdownNamesFailuresAndRanges() {
        Comparison c = comparison();
        String md = MarkdownReport.tables(c, Summary.of(c));
        assertThat(md).contains("| a | 200 (100–400) | 1.00 (1.00–1.00) |", "| b | 175 (50–300) | 1.00 (0.50–1.50) |",
                "b failed in round 3: nothing accepts connections");
    }

    @Test
    void tablesWarnWhenTheGeneratorLaggedOrSaturated() {
        Scenario open = ScenarioLoader.parse("requests = [/hello]\nload { mode = open, rate = 1000 }", "open");
        List<RunRecord> runs = List.of(
                new RunRecord("open", "a", 1, result(open, 1000, 1, 10, 950_000_000L), null, null),
                new RunRecord("open", "b", 1, result(open, 1000, 1, 200, 300_000_000L), null, null));
        Comparison c = new Comparison(Instant.EPOCH, Instant.EPOCH,
                new MachineInfo("cpu", 2, 1024, "6.18", "jdk", "4.2", "3", "0.5"), "x",
                List.of(new Comparison.ScenarioRun(open, false, false)),
                List.of(new Comparison.TargetInfo(Target.of("a", URI.create("http://127.0.0.1:1")), "1", false),
                        new Comparison.TargetInfo(Target.of("b", URI.create("http://127.0.0.1:2")), "1", false)),
                "a", 1, 0, runs);
        String md = MarkdownReport.tables(c, Summary.of(c));
        // a: 1 % late, 95 % generator CPU; b: 20 % late, 30 % CPU.
        assertThat(md).contains("**The generator fell behind its schedule** against b (",
                "**The generator used over 90 % of its core** against a:");
    }

    @Test
    void latencyPlotsGoInAGridOfTwoColumns(@TempDir Path dir) throws Exception {
        Comparison c = comparison();
        List<Path> plots = Charts.write(c, Summary.of(c), dir);
        assertThat(plots).extracting(p -> p.getFileName().toString()).contains("throughput.png", "latency.png");
        BufferedImage throughput = ImageIO.read(dir.resolve("throughput.png").toFile());
        BufferedImage latency = ImageIO.read(dir.resolve("latency.png").toFile());
        // Three latency charts: two on the first row, one on the second; each half as wide.
        assertThat(latency.getWidth()).isEqualTo(throughput.getWidth() / 2 * 2);
        assertThat(latency.getHeight()).isEqualTo(throughput.getHeight() * 3 / 4 * 2);
    }
}
