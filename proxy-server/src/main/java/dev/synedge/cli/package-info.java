/**
 * The command line: {@code synedge doctor}, and the proxy's run and demo commands. Parses
 * arguments with picocli and hands over to the feature packages; holds no logic of its own.
 * Logback is reached only to flush the logs when {@code run} stops.
 *
 * <p>May use: accesslog, admin, config, demo, doctor, listener, net, server, picocli, SLF4J, logback.
 */
package dev.synedge.cli;
