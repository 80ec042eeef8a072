package dev.synedge.upstream;

import dev.synedge.metrics.MptcpCounters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cluster's counters on one event loop, kept by the cluster's name so that they outlive
 * the {@link LocalCluster}s that each configuration snapshot rebuilds: one
 * {@link EndpointCounters} per endpoint name, and the cluster's MPTCP connections. Touched by
 * its loop only.
 */
public final class ClusterCounters {

    private final Map<String, EndpointCounters> endpoints = new LinkedHashMap<>();
    private final MptcpCounters mptcp = new MptcpCounters();

    /** The counters of the endpoint named {@code name} ({@link Endpoint#name()}), made on first use. */
    public EndpointCounters endpoint(String name) {
        return endpoints.computeIfAbsent(name, n -> new EndpointCounters());
    }

    /** Every endpoint counted so far, by name. */
    public Map<String, EndpointCounters> endpoints() {
        return endpoints;
    }

    public MptcpCounters mptcp() {
        return mptcp;
    }
}
