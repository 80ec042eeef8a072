/**
 * The generator's HTTP/1.1 client side: requests encoded once into native memory
 * ({@link dev.synedge.loadtest.http.RequestTemplate}) and an incremental response parser that
 * works in place over the bytes just read ({@link dev.synedge.loadtest.http.ResponseParser}).
 * Uses the JDK only (FFM memory segments, CRC32C) and the origin's body pattern.
 */
package dev.synedge.loadtest.http;
