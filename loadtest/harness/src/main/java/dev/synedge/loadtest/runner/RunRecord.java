package dev.synedge.loadtest.runner;

import dev.synedge.loadtest.generator.LoadResult;

/**
 * One scenario run against one target in one round.
 *
 * @param scenario scenario name
 * @param target   target name
 * @param round    1-based round; 0 for a warm-up run, which is logged but not recorded
 * @param result   what the generator measured; null when the run could not happen
 * @param usage    the target's CPU and memory; null when no process is known for it
 * @param failure  why the run could not happen (target unreachable, ...); null when it ran
 */
public record RunRecord(String scenario, String target, int round, LoadResult result, TargetUsage usage,
        String failure) {

    public boolean ok() {
        return result != null;
    }
}
