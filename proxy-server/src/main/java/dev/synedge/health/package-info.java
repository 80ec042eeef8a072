/**
 * Endpoint health: which endpoints of a cluster may take new exchanges. Passive outlier
 * detection ejects an endpoint that keeps failing the exchanges sent to it, for a while that
 * doubles with each failed probe ({@link dev.synedge.health.ClusterHealth}); active checks
 * send each endpoint {@code GET path} now and then, one checker per endpoint for the whole
 * server ({@link dev.synedge.health.HealthChecks}). The state is shared by all event loops,
 * kept across reloads by cluster and address, and logged when it changes.
 *
 * <p>Exchanges report what happened on event loops; checks run on virtual threads, never on
 * an event loop.
 *
 * <p>May use: config, SLF4J.
 */
package dev.synedge.health;
