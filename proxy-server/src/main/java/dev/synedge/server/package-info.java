/**
 * The running proxy: event loops, listeners, the configuration snapshot the exchanges read
 * ({@link dev.synedge.routing.ProxyRuntime}) and its atomic swap on reload, and each loop's own
 * state (clusters, pools). Ties together config, listener, routing, upstream and exchange; the
 * CLI starts it.
 */
package dev.synedge.server;
