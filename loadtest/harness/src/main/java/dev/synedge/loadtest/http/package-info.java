/**
 * The generator's HTTP/1.1 client side: requests encoded once into native memory
 * ({@link dev.synedge.loadtest.http.RequestTemplate}) and an incremental response parser over
 * the bytes just read ({@link dev.synedge.loadtest.http.ResponseParser}): bodies are counted
 * and checksummed where they lie, heads are copied once into a small reused array.
 * Uses the JDK only (FFM memory segments, CRC32C) and the origin's body pattern.
 */
package dev.synedge.loadtest.http;
