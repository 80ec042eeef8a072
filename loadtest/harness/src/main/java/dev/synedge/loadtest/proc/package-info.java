/**
 * What a process costs, read from {@code /proc}: CPU time and resident memory of a process
 * and its descendants (a multi-process target like nginx is its master plus workers), this
 * JVM's own CPU time, and the open-file limit the generator needs. Uses the JDK only.
 */
package dev.synedge.loadtest.proc;
