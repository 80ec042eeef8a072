package dev.synedge.loadtest.scenario;

/** The figure a scenario compares targets on; its ratios are target / baseline. */
public enum Metric {
    /** Requests per second (higher is better). */
    RPS("rps", "req/s", true),
    /** Response body bytes per second (higher is better). */
    THROUGHPUT("throughput", "GB/s", true),
    /** Median latency (lower is better). */
    LATENCY_P50("latency-p50", "ms", false),
    /** 99th percentile latency (lower is better). */
    LATENCY_P99("latency-p99", "ms", false),
    /** Median time to first byte (lower is better). */
    TTFB_P50("ttfb-p50", "ms", false),
    /** Target's resident memory growth per idle connection (lower is better). */
    MEMORY_PER_CONNECTION("memory-per-connection", "KiB", false);

    private final String key;
    private final String unit;
    private final boolean higherIsBetter;

    Metric(String key, String unit, boolean higherIsBetter) {
        this.key = key;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    /** The name used in scenario files and JSON, e.g. {@code latency-p99}. */
    public String key() {
        return key;
    }

    public String unit() {
        return unit;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    public static Metric ofKey(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'; one of "
                + java.util.Arrays.stream(values()).map(Metric::key).toList());
    }
}
