package dev.synedge.loadtest.report;

import dev.synedge.loadtest.generator.LoadResult;
import dev.synedge.loadtest.runner.RunRecord;
import dev.synedge.loadtest.scenario.Metric;
import java.util.function.ToDoubleFunction;

/**
 * A number one run yields, with how to print it. NaN when the run does not have it (failed,
 * or no target process to sample).
 */
public enum Figure {
    RPS("req/s", "%.0f", r -> r.result().requestsPerSecond()),
    MBPS("MB/s", "%.1f", r -> r.result().bytesPerSecond() / 1e6),
    GBPS("GB/s", "%.2f", r -> r.result().bytesPerSecond() / 1e9),
    P50("p50 ms", "%.2f", r -> LoadResult.millis(r.result().latency(), 50)),
    P90("p90 ms", "%.2f", r -> LoadResult.millis(r.result().latency(), 90)),
    P99("p99 ms", "%.2f", r -> LoadResult.millis(r.result().latency(), 99)),
    P999("p99.9 ms", "%.2f", r -> LoadResult.millis(r.result().latency(), 99.9)),
    TTFB_P50("TTFB p50 ms", "%.2f", r -> LoadResult.millis(r.result().ttfb(), 50)),
    TTFB_P99("TTFB p99 ms", "%.2f", r -> LoadResult.millis(r.result().ttfb(), 99)),
    CONNECT_P50("connect p50 ms", "%.2f", r -> LoadResult.millis(r.result().connect(), 50)),
    SYN_DATA("SYN data %", "%.0f", r -> r.result().fastOpenConnections() == 0 ? Double.NaN
            : 100 * r.result().synDataShare()),
    ERRORS("errors", "%.0f", r -> r.result().errorCount()),
    LATE_STARTS("late starts %", "%.1f", r -> 100.0 * r.result().lateStarts()
            / Math.max(1, r.result().requests() + r.result().errorCount())),
    TARGET_CPU_PER_REQUEST("target CPU µs/req", "%.1f", r -> r.usage() == null || r.result().requests() == 0
            ? Double.NaN : r.usage().cpuSeconds() * 1e6 / r.result().requests()),
    TARGET_CPU_PER_GB("target CPU s/GB", "%.2f", r -> r.usage() == null || r.result().bodyBytes() == 0
            ? Double.NaN : r.usage().cpuSeconds() / (r.result().bodyBytes() / 1e9)),
    TARGET_CPU_SHARE("target CPU %", "%.0f", r -> r.usage() == null ? Double.NaN
            : 100 * r.usage().cpuSeconds() / r.result().seconds()),
    TARGET_RSS_PEAK("target RSS MiB", "%.1f", r -> r.usage() == null ? Double.NaN : r.usage().rssPeak() / 1048576.0),
    GENERATOR_CPU("generator CPU %", "%.0f", r -> 100 * r.result().generatorCpuNanos() / 1e9 / r.result().seconds()),
    KEPT("connections kept", "%.0f", r -> r.result().requests() - r.result().serverCloses()),
    RSS_BEFORE("RSS before MiB", "%.1f", r -> r.usage() == null ? Double.NaN : r.usage().rssStart() / 1048576.0),
    RSS_AFTER("RSS after MiB", "%.1f", r -> r.usage() == null ? Double.NaN : r.usage().rssEnd() / 1048576.0),
    /**
     * RSS growth over the connections still open when sampled; left out when the target kept
     * fewer than 90 % of those asked for (it refused or closed the rest, after paying for them).
     */
    KIB_PER_CONNECTION("KiB/connection", "%.2f", r -> {
        long kept = r.result().requests() - r.result().serverCloses();
        return r.usage() == null || kept <= 0 || kept < 0.9 * r.result().spec().connections() ? Double.NaN
                : (r.usage().rssEnd() - r.usage().rssStart()) / 1024.0 / kept;
    });

    private final String label;
    private final String format;
    private final ToDoubleFunction<RunRecord> extract;

    Figure(String label, String format, ToDoubleFunction<RunRecord> extract) {
        this.label = label;
        this.format = format;
        this.extract = extract;
    }

    public String label() {
        return label;
    }

    /** JSON key: the label in lower case, e.g. {@code p99_ms}, {@code req_per_s}. */
    public String key() {
        return label.toLowerCase(java.util.Locale.ROOT).replace("µ", "u").replace("/", "_per_")
                .replace("%", "pct").replace(' ', '_').replace(".", "");
    }

    public String format(double value) {
        return Double.isFinite(value) ? String.format(java.util.Locale.ROOT, format, value) : "–";
    }

    public double of(RunRecord run) {
        return run.ok() ? extract.applyAsDouble(run) : Double.NaN;
    }

    /** The figure a scenario's metric is. */
    public static Figure of(Metric metric) {
        return switch (metric) {
            case RPS -> RPS;
            case THROUGHPUT -> GBPS;
            case LATENCY_P50 -> P50;
            case LATENCY_P99 -> P99;
            case TTFB_P50 -> TTFB_P50;
            case MEMORY_PER_CONNECTION -> KIB_PER_CONNECTION;
        };
    }
}
