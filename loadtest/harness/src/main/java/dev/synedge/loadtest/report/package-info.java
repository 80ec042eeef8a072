/**
 * Reports of a comparison: per-scenario summaries (median, min and max over rounds; ratios
 * against the baseline taken round by round), JSON, Markdown tables, PNG plots (XChart) and
 * the repository's {@code BENCHMARKS.md}. May use: {@code loadtest.runner},
 * {@code loadtest.scenario}, {@code loadtest.generator}, XChart.
 */
package dev.synedge.loadtest.report;
