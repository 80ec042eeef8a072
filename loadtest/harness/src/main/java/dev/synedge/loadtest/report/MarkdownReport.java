package dev.synedge.loadtest.report;

import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.runner.Comparison;
import dev.synedge.loadtest.scenario.Scenario;
import java.util.List;
import java.util.Locale;

/** One Markdown table per scenario: the metric with its ratio to the baseline, then medians. */
public final class MarkdownReport {

    /** Open loop: a share of late starts above this says the generator, not the target, lagged. */
    private static final int LATE_SHARE_PERCENT = 5;
    /** Generator CPU above this (% of one core) says it may have been the bottleneck. */
    private static final int SATURATED_PERCENT = 90;

    private MarkdownReport() {}

    public static String tables(Comparison c, List<Summary.ScenarioSummary> summaries) {
        StringBuilder out = new StringBuilder();
        for (Summary.ScenarioSummary s : summaries) {
            out.append(table(c, s)).append('\n');
        }
        return out.toString();
    }

    static String table(Comparison c, Summary.ScenarioSummary s) {
        Scenario scenario = s.scenario();
        StringBuilder out = new StringBuilder();
        out.append("### ").append(scenario.name()).append("\n\n");
        out.append(sentence(scenario.description())).append(' ').append(setup(scenario.load(), c.rounds()));
        if (!scenario.rtt().isZero()) {
            out.append(s.rttApplied()
                    ? " Round-trip time: +" + scenario.rtt().toMillis() + " ms on loopback."
                    : " **The scenario asks for +" + scenario.rtt().toMillis()
                            + " ms of round-trip time, which was not applied: no --rtt-command was given, or it failed"
                            + " (see the failed runs).**");
        }
        if (scenario.freshTarget()) {
            out.append(s.freshTargets() ? " Every run started from a freshly started target."
                    : " **Targets were not restarted between runs: after its first run a target reuses memory it"
                            + " freed, so later rounds understate the growth.**");
        }
        out.append(" Compared on ").append(s.metric().label()).append(" (")
                .append(scenario.metric().higherIsBetter() ? "higher" : "lower").append(" is better).\n\n");

        out.append("| target | ").append(s.metric().label()).append(" median (min–max) | × ").append(c.baseline())
                .append(" median (min–max) |");
        for (Figure f : s.figures()) {
            out.append(' ').append(f.label()).append(" |");
        }
        out.append("\n|---|---:|---:|");
        out.append("---:|".repeat(s.figures().size()));
        out.append('\n');
        for (Summary.TargetSummary t : s.targets()) {
            out.append("| ").append(t.target()).append(" | ").append(range(s.metric(), t.metric())).append(" | ")
                    .append(ratio(t.ratio())).append(" |");
            for (Figure f : s.figures()) {
                out.append(' ').append(f.format(t.figures().get(f).median())).append(" |");
            }
            out.append('\n');
        }
        if (s.figures().contains(Figure.KEPT)) {
            out.append("\nKiB/connection is the RSS growth over the connections still open when sampled; it is left"
                    + " out (–) where a target kept fewer than 90 % of them (it refused or closed the rest: a"
                    + " connection limit).\n");
        }
        List<String> late = targetsWhere(s, Figure.LATE_STARTS, LATE_SHARE_PERCENT);
        if (!late.isEmpty()) {
            out.append("\n**The generator fell behind its schedule** against ").append(String.join(", ", late))
                    .append(" (more than ").append(LATE_SHARE_PERCENT).append(" % of requests handed to a connection"
                    + " over 1 ms late: a busy machine or an exhausted pool); that lag is in their latency.\n");
        }
        List<String> saturated = targetsWhere(s, Figure.GENERATOR_CPU, SATURATED_PERCENT);
        if (!saturated.isEmpty()) {
            out.append("\n**The generator used over ").append(SATURATED_PERCENT).append(" % of its core** against ")
                    .append(String.join(", ", saturated)).append(": there it, not the target, may be the limit.\n");
        }
        for (Summary.TargetSummary t : s.targets()) {
            for (String failure : t.failures()) {
                out.append("\n").append(t.target()).append(" failed in ").append(failure).append("  ");
            }
        }
        if (s.targets().stream().anyMatch(t -> !t.failures().isEmpty())) {
            out.append('\n');
        }
        return out.toString();
    }

    /** Targets whose median {@code figure} exceeds {@code limit} (only if the table shows it). */
    private static List<String> targetsWhere(Summary.ScenarioSummary s, Figure figure, int limit) {
        if (!s.figures().contains(figure)) {
            return List.of();
        }
        return s.targets().stream().filter(t -> t.figures().get(figure).median() > limit)
                .map(Summary.TargetSummary::target).toList();
    }

    private static String sentence(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "";
        }
        return Character.toUpperCase(t.charAt(0)) + t.substring(1) + (t.endsWith(".") ? "" : ".");
    }

    static String setup(LoadSpec load, int rounds) {
        String s = sentence(load.describe());
        return switch (load.mode()) {
            case IDLE -> s + " " + rounds + (rounds == 1 ? " round" : " rounds") + "; RSS sampled before opening and " + seconds(load.settle().toMillis())
                    + " after the last connection was answered.";
            case CLOSED, OPEN -> s + " " + seconds(load.warmup().toMillis()) + " warm-up, "
                    + (load.requests() > 0 ? load.requests() + " requests" : seconds(load.duration().toMillis()))
                    + " measured, " + rounds + (rounds == 1 ? " round." : " rounds.");
        };
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    static String range(Figure f, Stat s) {
        if (!s.present()) {
            return "–";
        }
        if (s.n() == 1) {
            return f.format(s.median());
        }
        return f.format(s.median()) + " (" + f.format(s.min()) + "–" + f.format(s.max()) + ")";
    }

    static String ratio(Stat s) {
        if (!s.present()) {
            return "–";
        }
        String median = String.format(Locale.ROOT, "%.2f", s.median());
        if (s.n() == 1) {
            return median;
        }
        return median + String.format(Locale.ROOT, " (%.2f–%.2f)", s.min(), s.max());
    }
}
