package dev.synedge.loadtest.generator;

/**
 * Told when measuring starts and ends, on the caller's thread (never an event loop), so a
 * runner can sample the target's CPU and memory at exactly those moments. In idle mode,
 * "started" comes before the first connection opens and "ended" once all are open and settled
 * (the connections are still open during the call).
 */
public interface PhaseListener {

    PhaseListener NONE = new PhaseListener() {};

    default void measureStarted() {}

    default void measureEnded() {}
}
