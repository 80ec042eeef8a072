/**
 * Scenarios: HOCON files (Typesafe Config) under {@code loadtest/scenarios/} that say what load
 * to apply ({@code load}), which requests to send ({@code requests}), the round-trip time to
 * add ({@code rtt}) and which figure to compare ({@code report.metric}). Errors name the file,
 * line and key. May use: Typesafe Config, {@code loadtest.generator}, {@code loadtest.http}.
 */
package dev.synedge.loadtest.scenario;
