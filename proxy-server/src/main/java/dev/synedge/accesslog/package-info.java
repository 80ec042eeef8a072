/**
 * The access log: one {@link dev.synedge.accesslog.AccessRecord} per exchange, formatted by
 * {@link dev.synedge.accesslog.AccessLog} as combined or JSON and written through the logback
 * logger {@code synedge.access}, which logback.xml binds to a never-blocking AsyncAppender
 * in front of a file appender. Formatting runs on the event loop (into a per-thread builder,
 * the line String being the only allocation); file I/O happens on logback's worker thread.
 *
 * <p>May use: SLF4J and logback (to find and repoint the file appender), Netty's
 * FastThreadLocal, {@code dev.synedge.config} records.
 */
package dev.synedge.accesslog;
