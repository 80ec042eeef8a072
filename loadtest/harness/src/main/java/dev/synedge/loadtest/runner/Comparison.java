package dev.synedge.loadtest.runner;

import dev.synedge.loadtest.scenario.Scenario;
import java.time.Instant;
import java.util.List;

/**
 * Everything one comparison produced, for the reports.
 *
 * @param started   when the first run began
 * @param finished  when the last run ended
 * @param machine   the host
 * @param command   the command line that reproduces it
 * @param scenarios scenarios in the order run, with whether their round-trip time was applied
 * @param targets   targets in the order run, with their versions
 * @param baseline  the target ratios are taken against
 * @param rounds    rounds per scenario
 * @param warmupRounds unrecorded rounds per scenario before the measured ones
 * @param runs      every run, in the order run
 */
public record Comparison(Instant started, Instant finished, MachineInfo machine, String command,
        List<ScenarioRun> scenarios, List<TargetInfo> targets, String baseline, int rounds, int warmupRounds,
        List<RunRecord> runs) {

    /**
     * A scenario as it was run: whether its round-trip time was added, and whether every run
     * of a fresh-target scenario really started from a restarted target.
     */
    public record ScenarioRun(Scenario scenario, boolean rttApplied, boolean freshTargets) {}

    /** A target and the version it reported. */
    public record TargetInfo(Target target, String version, boolean watched) {}

    public Comparison {
        scenarios = List.copyOf(scenarios);
        targets = List.copyOf(targets);
        runs = List.copyOf(runs);
    }

    public List<RunRecord> runs(String scenario, String target) {
        return runs.stream().filter(r -> r.scenario().equals(scenario) && r.target().equals(target)).toList();
    }
}
