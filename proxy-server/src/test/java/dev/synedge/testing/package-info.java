/** Test support for the proxy: synedge in-process from HOCON text, curl as a client. */
package dev.synedge.testing;
