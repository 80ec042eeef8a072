package dev.synedge.loadtest.report;

import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.generator.Mode;
import dev.synedge.loadtest.runner.Comparison;
import dev.synedge.loadtest.runner.RunRecord;
import dev.synedge.loadtest.scenario.Scenario;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A comparison reduced per scenario and target: the scenario's metric (median, min, max over
 * rounds), its ratio to the baseline taken round by round (target in round r / baseline in
 * round r, so both saw the same state of the machine), and the other figures' medians.
 */
public final class Summary {

    /** One target in one scenario. */
    public record TargetSummary(String target, Stat metric, Stat ratio, Map<Figure, Stat> figures, List<String> failures) {}

    /** One scenario. */
    public record ScenarioSummary(Scenario scenario, boolean rttApplied, boolean freshTargets, Figure metric,
            List<Figure> figures, List<TargetSummary> targets) {}

    private Summary() {}

    public static List<ScenarioSummary> of(Comparison comparison) {
        List<ScenarioSummary> out = new ArrayList<>();
        for (Comparison.ScenarioRun run : comparison.scenarios()) {
            Scenario scenario = run.scenario();
            Figure metric = Figure.of(scenario.metric());
            List<Figure> figures = figuresFor(scenario);
            List<RunRecord> baseline = comparison.runs(scenario.name(), comparison.baseline());
            List<TargetSummary> targets = new ArrayList<>();
            for (Comparison.TargetInfo target : comparison.targets()) {
                List<RunRecord> runs = comparison.runs(scenario.name(), target.target().name());
                double[] values = runs.stream().mapToDouble(metric::of).toArray();
                double[] ratios = new double[runs.size()];
                for (int i = 0; i < runs.size(); i++) {
                    RunRecord mine = runs.get(i);
                    double base = baseline.stream().filter(b -> b.round() == mine.round()).findFirst()
                            .map(metric::of).orElse(Double.NaN);
                    ratios[i] = base > 0 ? metric.of(mine) / base : Double.NaN;
                }
                Map<Figure, Stat> stats = new EnumMap<>(Figure.class);
                for (Figure f : figures) {
                    stats.put(f, Stat.of(runs.stream().mapToDouble(f::of).toArray()));
                }
                List<String> failures = runs.stream().filter(r -> !r.ok())
                        .map(r -> "round " + r.round() + ": " + r.failure()).toList();
                targets.add(new TargetSummary(target.target().name(), Stat.of(values), Stat.of(ratios), stats, failures));
            }
            out.add(new ScenarioSummary(scenario, run.rttApplied(), run.freshTargets(), metric, figures, targets));
        }
        return out;
    }

    /** The figures worth a column for a scenario, beside its metric. */
    static List<Figure> figuresFor(Scenario scenario) {
        LoadSpec load = scenario.load();
        List<Figure> f = new ArrayList<>();
        if (load.mode() == Mode.IDLE) {
            f.addAll(List.of(Figure.KEPT, Figure.RSS_BEFORE, Figure.RSS_AFTER, Figure.ERRORS));
            return f;
        }
        boolean bigBodies = scenario.metric() == dev.synedge.loadtest.scenario.Metric.THROUGHPUT;
        f.add(Figure.RPS);
        if (bigBodies) {
            f.add(Figure.GBPS);
        }
        if (load.connectionPerRequest()) {
            f.addAll(List.of(Figure.CONNECT_P50, Figure.TTFB_P50, Figure.TTFB_P99));
        }
        f.addAll(List.of(Figure.P50, Figure.P99));
        if (load.mode() == Mode.OPEN) {
            f.addAll(List.of(Figure.P999, Figure.LATE_STARTS));
        }
        if (load.fastOpen()) {
            f.add(Figure.SYN_DATA);
        }
        f.add(Figure.ERRORS);
        f.add(bigBodies ? Figure.TARGET_CPU_PER_GB : Figure.TARGET_CPU_PER_REQUEST);
        f.addAll(List.of(Figure.TARGET_CPU_SHARE, Figure.TARGET_RSS_PEAK, Figure.GENERATOR_CPU));
        f.remove(Figure.of(scenario.metric()));
        return f;
    }
}
