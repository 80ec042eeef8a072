/**
 * Test support for the proxy: synedge in-process from HOCON text or as its own process, curl
 * as a client.
 */
package dev.synedge.testing;
