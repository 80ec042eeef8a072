package dev.synedge.loadtest.cli;

import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.generator.Mode;
import dev.synedge.loadtest.report.BenchmarksReport;
import dev.synedge.loadtest.report.Charts;
import dev.synedge.loadtest.report.JsonReport;
import dev.synedge.loadtest.report.MarkdownReport;
import dev.synedge.loadtest.report.Summary;
import dev.synedge.loadtest.runner.Comparison;
import dev.synedge.loadtest.runner.ComparisonRunner;
import dev.synedge.loadtest.runner.Progress;
import dev.synedge.loadtest.runner.RttControl;
import dev.synedge.loadtest.runner.Target;
import dev.synedge.loadtest.scenario.Scenario;
import dev.synedge.loadtest.scenario.ScenarioException;
import dev.synedge.loadtest.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bench}: runs scenarios against targets, interleaved, and writes the reports. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Runs every scenario against every target, interleaved (A B C, A B C, ...) for --rounds rounds, "
                    + "and writes JSON, Markdown and plots (and BENCHMARKS.md with --report).",
            "",
            "Example: bin/synedge bench loadtest/scenarios --peers --report BENCHMARKS.md"})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SCENARIO|NAME=URL",
            description = "Scenario files or directories (their *.conf files), and targets as NAME=http://host:port.")
    private List<String> arguments = new ArrayList<>();

    @Option(names = "--target", paramLabel = "NAME=URL", description = "A target (same as a positional NAME=URL).")
    private List<String> targetPairs = new ArrayList<>();

    @Option(names = "--peers", description = "Add the reference peers that loadtest/peers/peers start runs: "
            + "origin (:9000), haproxy (:8001), nginx (:8002), with their pid files.")
    private boolean peers;

    @Option(names = "--peers-state", paramLabel = "DIR",
            description = "The peers' state directory (default: $PEERS_STATE, as loadtest/peers/peers uses it, "
                    + "else $TMPDIR/peers).")
    private Path peersState;

    @Option(names = "--start", paramLabel = "NAME=COMMAND",
            description = "Start target NAME with this shell command before the runs (in the foreground; its pid is "
                    + "sampled) and stop it after, e.g. synedge='bin/synedge run conf/bench.conf'.")
    private List<String> starts = new ArrayList<>();

    @Option(names = "--pidfile", paramLabel = "NAME=FILE", description = "Sample the process (and its children) whose pid is in FILE.")
    private List<String> pidFiles = new ArrayList<>();

    @Option(names = "--pid", paramLabel = "NAME=PID", description = "Sample this process (and its children).")
    private List<String> pids = new ArrayList<>();

    @Option(names = "--version-text", paramLabel = "NAME=TEXT", description = "Version to report for a target.")
    private List<String> versions = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "NAME", description = "Target the ratios are taken against (default: the first).")
    private String baseline;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds per scenario (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--warmup-rounds", defaultValue = "1", paramLabel = "N",
            description = "Unrecorded rounds per scenario before the measured ones, so that a target with a JIT "
                    + "is measured warm; not for fresh-target scenarios (default: ${DEFAULT-VALUE}).")
    private int warmupRounds;

    @Option(names = "--pause", defaultValue = "1s", converter = Durations.class,
            description = "Pause between runs (default: ${DEFAULT-VALUE}).")
    private Duration pause;

    @Option(names = "--rtt-command", paramLabel = "COMMAND",
            description = "Adds round-trip time for scenarios with rtt > 0; {ms} is replaced by the RTT, {half} by half "
                    + "of it. E.g. 'loadtest/peers/rtt on 8001,8002,9000 {ms}'.")
    private String rttOn;

    @Option(names = "--rtt-off-command", paramLabel = "COMMAND", description = "Removes it again, e.g. 'loadtest/peers/rtt off'.")
    private String rttOff;

    @Option(names = "--restart-command", paramLabel = "COMMAND",
            description = "Restarts the targets the runner did not start, before each run of a scenario with "
                    + "fresh-target = true (idle memory), e.g. 'loadtest/peers/peers start'.")
    private String restartCommand;

    @Option(names = "--warmup", converter = Durations.class, description = "Override every scenario's warm-up.")
    private Duration warmup;

    @Option(names = "--duration", converter = Durations.class, description = "Override every scenario's measuring time.")
    private Duration duration;

    @Option(names = "--idle-connections", description = "Override the connection count of idle scenarios.")
    private Integer idleConnections;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write results.json, report.md and the plots "
            + "(default: loadtest/results/DATE-TIME).")
    private Path out;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report here, e.g. BENCHMARKS.md; "
            + "sections written by hand at the end of an existing FILE are kept.")
    private Path report;

    @Option(names = "--no-plots", description = "Skip the PNG plots.")
    private boolean noPlots;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<Path> scenarioPaths = new ArrayList<>();
        List<String> pairs = new ArrayList<>(targetPairs);
        for (String a : arguments) {
            if (a.matches("[A-Za-z0-9._-]+=.*")) {
                pairs.add(a);
            } else {
                scenarioPaths.add(Path.of(a));
            }
        }
        List<Scenario> scenarios;
        List<Target> targets;
        try {
            if (scenarioPaths.isEmpty()) {
                throw new IllegalArgumentException("no scenario given: name files or directories, e.g. loadtest/scenarios");
            }
            scenarios = ScenarioLoader.loadAll(scenarioPaths).stream().map(this::override).toList();
            targets = TargetOptions.build(peers ? TargetOptions.peers(peersState != null ? peersState
                    : TargetOptions.defaultPeersState()) : List.of(), pairs, starts, pidFiles, pids, versions);
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("no target given: add NAME=URL arguments or --peers");
            }
        } catch (ScenarioException | IllegalArgumentException e) {
            System.err.println("synedge bench: " + e.getMessage());
            return 2;
        }
        Path dir = out != null ? out : Launcher.root().resolve("loadtest/results")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm")));
        Files.createDirectories(dir);

        Comparison comparison;
        try (Progress progress = Progress.forStdout()) {
            RttControl rtt = new RttControl(rttOn, rttOff, System.out);
            ComparisonRunner.Options options = new ComparisonRunner.Options(rounds, warmupRounds,
                    baseline != null ? baseline : targets.getFirst().name(), pause, dir.resolve("logs"), restartCommand);
            ComparisonRunner runner = new ComparisonRunner(scenarios, targets, options, rtt, progress);
            progress.log("synedge bench: " + scenarios.size() + " scenarios x " + targets.size() + " targets x "
                    + rounds + " rounds (after " + warmupRounds + " warm-up); results in " + dir);
            comparison = runner.run(Launcher.command(spec));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("synedge bench: " + e.getMessage());
            return 2;
        }
        List<Summary.ScenarioSummary> summaries = Summary.of(comparison);
        Path json = dir.resolve("results.json");
        Files.writeString(json, JsonReport.render(comparison, summaries), StandardCharsets.UTF_8);
        List<Path> plots = List.of();
        if (!noPlots) {
            try {
                plots = Charts.write(comparison, summaries, dir);
            } catch (IOException | RuntimeException e) {
                // The figures are in the JSON and the tables; a plot failure must not lose them.
                System.err.println("synedge bench: plots not written: " + e);
            }
        }
        Path reportMd = dir.resolve("report.md");
        Files.writeString(reportMd, BenchmarksReport.render(comparison, summaries, reportMd, plots, json));
        if (report != null) {
            String handWritten = Files.exists(report) ? BenchmarksReport.handWritten(Files.readString(report)) : "";
            Files.writeString(report, BenchmarksReport.render(comparison, summaries, report, plots, json, handWritten));
        }
        System.out.println();
        System.out.print(MarkdownReport.tables(comparison, summaries));
        System.out.println("results: " + json + (report != null ? ", report: " + report : ", report: " + reportMd));
        boolean failed = comparison.runs().stream().anyMatch(r -> !r.ok());
        return failed ? 1 : 0;
    }

    private Scenario override(Scenario s) {
        LoadSpec.Builder b = s.load().toBuilder();
        if (s.load().mode() == Mode.IDLE) {
            if (idleConnections != null) {
                b.connections(idleConnections);
            }
        } else {
            if (warmup != null) {
                b.warmup(warmup);
            }
            if (duration != null) {
                b.duration(duration);
            }
        }
        return s.withLoad(b.build());
    }
}
