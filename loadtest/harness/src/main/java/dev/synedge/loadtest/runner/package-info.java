/**
 * The comparison runner: every scenario against every target, interleaved (A B A B ...) for a
 * number of rounds, with each target's CPU time and resident memory sampled from {@code /proc}
 * while it is measured, round-trip time added by a user command when a scenario asks for it,
 * and a progress bar on a terminal. Produces a {@link dev.synedge.loadtest.runner.Comparison}
 * that {@code loadtest.report} turns into JSON, Markdown and plots. May use:
 * {@code loadtest.generator}, {@code loadtest.scenario}, {@code loadtest.proc}, native-sockets.
 */
package dev.synedge.loadtest.runner;
