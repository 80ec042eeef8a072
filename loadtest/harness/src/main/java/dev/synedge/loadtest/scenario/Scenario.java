package dev.synedge.loadtest.scenario;

import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.http.RequestSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One scenario file, read and checked.
 *
 * @param name        short name, used in tables and file names (defaults to the file's name)
 * @param description one sentence for the report
 * @param source      the file it came from
 * @param load        how to load each target
 * @param requests    the request mix
 * @param rtt         round-trip time the runner adds while it runs (zero: none)
 * @param metric      the figure targets are compared on
 */
public record Scenario(String name, String description, Path source, LoadSpec load, List<RequestSpec> requests,
        Duration rtt, Metric metric) {

    public Scenario {
        requests = List.copyOf(requests);
    }

    /** Expected wall time of one run against one target (for progress and ETA). */
    public Duration expectedRunTime() {
        Duration base = load.warmup().plus(load.duration());
        return switch (load.mode()) {
            case IDLE -> load.settle().plusSeconds(3);
            case CLOSED, OPEN -> load.duration().isZero() ? base.plusSeconds(5) : base;
        };
    }
}
