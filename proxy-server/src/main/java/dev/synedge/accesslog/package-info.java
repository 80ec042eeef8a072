/**
 * The access log: one {@link dev.synedge.accesslog.AccessRecord} per exchange, formatted by
 * {@link dev.synedge.accesslog.AccessLog} as combined or JSON and written through the logback
 * logger {@code synedge.access}, which logback.xml binds to a never-blocking AsyncAppender
 * in front of a file appender. Formatting runs on the event loop (into a per-thread builder,
 * the line String being the only allocation); file I/O happens on logback's worker thread.
 * Logback itself is reached only to find and repoint the file appender, Netty only for
 * FastThreadLocal, config only for its records.
 *
 * <p>May use: config, Netty, SLF4J, logback.
 */
package dev.synedge.accesslog;
