/**
 * The command line: {@code synedge doctor} and {@code check}, and the proxy's run and demo
 * commands. Parses arguments with picocli and hands over to the feature packages; holds no
 * logic of its own. Logback is reached only to flush the logs when {@code run} stops, Netty
 * only for its version.
 *
 * <p>May use: accesslog, admin, config, demo, doctor, listener, net, server, picocli, Netty, SLF4J, logback.
 */
package dev.synedge.cli;
