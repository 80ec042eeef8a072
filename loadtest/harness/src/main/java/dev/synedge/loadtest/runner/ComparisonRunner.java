package dev.synedge.loadtest.runner;

import dev.synedge.loadtest.generator.LoadGenerator;
import dev.synedge.loadtest.generator.LoadResult;
import dev.synedge.loadtest.generator.Mode;
import dev.synedge.loadtest.generator.PhaseListener;
import dev.synedge.loadtest.proc.ProcessUsage;
import dev.synedge.loadtest.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs every scenario against every target: for each scenario, round 1 runs A, B, C, then
 * round 2 runs A, B, C again, and so on, so slow drifts of a shared machine hit every target
 * alike. While a run measures, the target's process tree is sampled for CPU time and memory.
 * Targets with a start command are started first and stopped at the end.
 */
public final class ComparisonRunner {

    /**
     * @param rounds   rounds per scenario (3 or more for a report)
     * @param warmupRounds unrecorded rounds each target runs before a scenario's measured
     *                 ones, so that a JIT-compiled target is measured compiled (a scenario's
     *                 own warm-up of a few seconds is too short for that); fresh-target
     *                 scenarios skip them, as they measure a target that has just started
     * @param baseline target name ratios are taken against
     * @param pause    quiet time between runs (lets TIME_WAIT sockets and caches settle)
     * @param logDir   where started targets write their output
     * @param restartCommand shell command that restarts targets the runner did not start, run
     *                 before each run of a fresh-target scenario (e.g. the peers script's
     *                 {@code start}); null when there is none
     */
    public record Options(int rounds, int warmupRounds, String baseline, Duration pause, Path logDir, String restartCommand) {
        public Options {
            if (rounds < 1) {
                throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
            }
            if (warmupRounds < 0) {
                throw new IllegalArgumentException("warm-up rounds must be 0 or more, got " + warmupRounds);
            }
        }
    }

    private static final long PEAK_SAMPLE_MILLIS = 200;

    private final List<Scenario> scenarios;
    private final List<Target> targets;
    private final Options options;
    private final RttControl rtt;
    private final Progress progress;

    public ComparisonRunner(List<Scenario> scenarios, List<Target> targets, Options options, RttControl rtt,
            Progress progress) {
        if (scenarios.isEmpty() || targets.isEmpty()) {
            throw new IllegalArgumentException("need at least one scenario and one target");
        }
        if (targets.stream().map(Target::name).distinct().count() != targets.size()) {
            throw new IllegalArgumentException("target names must differ: " + targets.stream().map(Target::name).toList());
        }
        if (targets.stream().noneMatch(t -> t.name().equals(options.baseline()))) {
            throw new IllegalArgumentException("baseline '" + options.baseline() + "' is not a target; targets: "
                    + targets.stream().map(Target::name).toList());
        }
        this.scenarios = List.copyOf(scenarios);
        this.targets = List.copyOf(targets);
        this.options = options;
        this.rtt = rtt;
        this.progress = progress;
    }

    /** Runs the comparison; {@code command} is recorded as the way to reproduce it. */
    public Comparison run(String command) throws IOException {
        Instant started = Instant.now();
        MachineInfo machine = MachineInfo.collect();
        List<TargetProcess> processes = new ArrayList<>();
        try {
            for (Target target : targets) {
                if (target.startCommand() != null) {
                    progress.log("starting " + target.name() + ": " + target.startCommand());
                }
                processes.add(TargetProcess.open(target, options.logDir()));
            }
            List<Comparison.TargetInfo> infos = new ArrayList<>();
            for (TargetProcess p : processes) {
                boolean watched = p.pid().isPresent();
                if (!watched && p.target().watched()) {
                    progress.log("warning: no process found for " + p.target().name() + " (pid file "
                            + p.target().pidFile() + "): its CPU and memory will be missing");
                }
                infos.add(new Comparison.TargetInfo(p.target(), p.version(), watched));
            }
            Duration planned = Duration.ZERO;
            int runCount = 0;
            for (Scenario s : scenarios) {
                int perTarget = options.rounds() + warmupRounds(s);
                planned = planned.plus(s.expectedRunTime().plus(options.pause())
                        .multipliedBy((long) perTarget * targets.size()));
                runCount += perTarget * targets.size();
            }
            progress.plan(planned, runCount);

            List<RunRecord> runs = new ArrayList<>();
            List<Comparison.ScenarioRun> scenarioRuns = new ArrayList<>();
            for (Scenario scenario : scenarios) {
                scenarioRuns.add(runScenario(scenario, processes, runs));
            }
            return new Comparison(started, Instant.now(), machine, command, scenarioRuns, infos, options.baseline(),
                    options.rounds(), options.warmupRounds(), runs);
        } finally {
            for (TargetProcess p : processes) {
                p.close();
            }
        }
    }

    /** Runs all rounds of one scenario. */
    private Comparison.ScenarioRun runScenario(Scenario scenario, List<TargetProcess> processes,
            List<RunRecord> runs) throws IOException {
        boolean rttApplied = false;
        if (!scenario.rtt().isZero()) {
            if (rtt.available()) {
                progress.log("rtt: " + rtt.onCommand(scenario.rtt()));
                try {
                    rtt.apply(scenario.rtt());
                    rttApplied = true;
                } catch (IOException e) {
                    // Without its round-trip time the scenario would measure something else.
                    progress.log("skipping " + scenario.name() + ": " + e.getMessage());
                    for (int round = 1; round <= options.rounds(); round++) {
                        for (TargetProcess target : processes) {
                            runs.add(new RunRecord(scenario.name(), target.target().name(), round, null, null,
                                    "round-trip time could not be added: " + e.getMessage()));
                            progress.begin(scenario.name(), Duration.ZERO);
                            progress.end();
                        }
                    }
                    return new Comparison.ScenarioRun(scenario, false, false);
                }
            } else {
                progress.log("warning: " + scenario.name() + " asks for " + scenario.rtt().toMillis()
                        + " ms of round-trip time but no --rtt-command was given: running it on plain loopback");
            }
        }
        boolean allFresh = scenario.freshTarget();
        try {
            int warmups = warmupRounds(scenario);
            // Rounds below 1 are warm-up: run and logged like the others, not recorded.
            for (int round = 1 - warmups; round <= options.rounds(); round++) {
                boolean warmup = round < 1;
                int recordRound = warmup ? 0 : round;
                for (TargetProcess target : processes) {
                    progress.begin(scenario.name() + " · " + target.target().name() + " · "
                            + (warmup ? "warm-up " + (round + warmups) + "/" + warmups
                                    : "round " + round + "/" + options.rounds()),
                            scenario.expectedRunTime().plus(options.pause()));
                    RunRecord record;
                    try {
                        if (scenario.freshTarget()) {
                            allFresh &= freshen(target);
                        }
                        record = runOne(scenario, target, recordRound);
                    } catch (IOException e) {
                        record = new RunRecord(scenario.name(), target.target().name(), recordRound, null, null,
                                "restart failed: " + e.getMessage());
                    }
                    if (!warmup) {
                        runs.add(record);
                    }
                    progress.log(describe(record, scenario) + (warmup ? "  (not recorded)" : ""));
                    pause();
                    progress.end();
                }
            }
        } finally {
            if (rttApplied) {
                rtt.remove();
            }
        }
        if (scenario.freshTarget() && !allFresh) {
            progress.log("warning: " + scenario.name() + " wants a fresh target for every run, but some targets were "
                    + "not restarted (give --restart-command, or let the runner --start them)");
        }
        return new Comparison.ScenarioRun(scenario, rttApplied, allFresh);
    }

    private int warmupRounds(Scenario scenario) {
        return scenario.freshTarget() ? 0 : options.warmupRounds();
    }

    /**
     * Restarts a target before a run: the runner's own process directly, others through the
     * restart command. Returns false when there is no way to.
     */
    private boolean freshen(TargetProcess target) throws IOException {
        if (target.target().startCommand() != null) {
            target.restart();
            return true;
        }
        if (options.restartCommand() == null) {
            return false;
        }
        Shell.run(options.restartCommand());
        if (!target.awaitReachable(Duration.ofSeconds(30))) {
            throw new IOException(target.target().name() + " does not accept connections after '"
                    + options.restartCommand() + "'");
        }
        return true;
    }

    private RunRecord runOne(Scenario scenario, TargetProcess target, int round) {
        String name = target.target().name();
        if (!target.reachable()) {
            return new RunRecord(scenario.name(), name, round, null, null,
                    "nothing accepts connections on " + target.target().url());
        }
        Sampler sampler = new Sampler(target);
        try {
            LoadResult result = LoadGenerator.run(target.target().url(), scenario.load(), scenario.requests(), sampler);
            return new RunRecord(scenario.name(), name, round, result, sampler.usage(), null);
        } catch (RuntimeException e) {
            return new RunRecord(scenario.name(), name, round, null, null,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            sampler.stop();
        }
    }

    private void pause() {
        try {
            Thread.sleep(options.pause().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One log line per run. */
    static String describe(RunRecord r, Scenario scenario) {
        String head = String.format("%-18s %-10s %s  ", r.scenario(), r.target(),
                r.round() == 0 ? "warm-up" : "round " + r.round());
        if (!r.ok()) {
            return head + "FAILED: " + r.failure();
        }
        LoadResult x = r.result();
        StringBuilder s = new StringBuilder(head);
        if (scenario.load().mode() == Mode.IDLE) {
            s.append(String.format("%d connections kept", x.requests() - x.serverCloses()));
            if (r.usage() != null) {
                s.append(String.format(", RSS %.1f -> %.1f MiB", r.usage().rssStart() / 1048576.0,
                        r.usage().rssEnd() / 1048576.0));
            }
        } else {
            s.append(String.format("%9.0f req/s %8.1f MB/s  p50 %7.2f ms  p99 %7.2f ms", x.requestsPerSecond(),
                    x.bytesPerSecond() / 1e6, LoadResult.millis(x.latency(), 50), LoadResult.millis(x.latency(), 99)));
            if (scenario.load().connectionPerRequest()) {
                s.append(String.format("  ttfb p50 %.2f ms", LoadResult.millis(x.ttfb(), 50)));
            }
            if (scenario.load().fastOpen()) {
                s.append(String.format("  syn-data %.0f%%", 100 * x.synDataShare()));
            }
            if (r.usage() != null) {
                s.append(String.format("  target cpu %.2f s", r.usage().cpuSeconds()));
            }
        }
        long errors = x.errorCount();
        s.append(errors == 0 ? "  no errors" : "  errors " + errors + " " + x.errors());
        return s.toString();
    }

    /** Samples the target when measuring starts and ends, and its peak memory in between. */
    private static final class Sampler implements PhaseListener {
        private final TargetProcess target;
        private final AtomicLong peak = new AtomicLong();
        private ScheduledExecutorService ticker;
        private Optional<ProcessUsage> start = Optional.empty();
        private Optional<ProcessUsage> end = Optional.empty();

        Sampler(TargetProcess target) {
            this.target = target;
        }

        @Override
        public void measureStarted() {
            start = target.sample();
            start.ifPresent(u -> peak.accumulateAndGet(u.rssBytes(), Math::max));
            if (start.isPresent()) {
                ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rss-sampler");
                    t.setDaemon(true);
                    return t;
                });
                ticker.scheduleAtFixedRate(() -> target.sample()
                        .ifPresent(u -> peak.accumulateAndGet(u.rssBytes(), Math::max)),
                        PEAK_SAMPLE_MILLIS, PEAK_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void measureEnded() {
            stop();
            end = target.sample();
            end.ifPresent(u -> peak.accumulateAndGet(u.rssBytes(), Math::max));
        }

        void stop() {
            if (ticker != null) {
                ticker.shutdownNow();
                ticker = null;
            }
        }

        TargetUsage usage() {
            if (start.isEmpty() || end.isEmpty()) {
                return null;
            }
            ProcessUsage a = start.get();
            ProcessUsage b = end.get();
            return new TargetUsage(Math.max(0, b.cpuNanos() - a.cpuNanos()) / 1e9, a.rssBytes(), b.rssBytes(),
                    peak.get(), b.processes());
        }
    }
}
