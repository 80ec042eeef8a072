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
 * @param freshTarget every run needs a freshly started target (memory figures: a process that
 *                    served earlier runs keeps freed memory and grows less)
 */
public record Scenario(String name, String description, Path source, LoadSpec load, List<RequestSpec> requests,
        Duration rtt, Metric metric, boolean freshTarget) {

    public Scenario {
        requests = List.copyOf(requests);
    }

    /** The same scenario with another load (the runner's command-line overrides). */
    public Scenario withLoad(LoadSpec newLoad) {
        return new Scenario(name, description, source, newLoad, requests, rtt, metric, freshTarget);
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
