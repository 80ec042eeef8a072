/**
 * The harness's command line, run by {@code bin/synedge bench} and {@code bin/synedge loadgen}:
 * option parsing (picocli) and printing, nothing else. May use every other
 * {@code dev.synedge.loadtest} package.
 */
package dev.synedge.loadtest.cli;
