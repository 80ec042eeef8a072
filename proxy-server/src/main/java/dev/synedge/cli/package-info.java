/**
 * The command line: {@code synedge doctor}, and the proxy's run and demo commands. Parses
 * arguments with picocli and hands over to the feature packages; holds no logic of its own.
 */
package dev.synedge.cli;
