package dev.synedge.config;

import dev.synedge.net.AddressText;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One upstream address of a cluster.
 *
 * @param name    the endpoint as written, e.g. {@code origin.internal:80}; several endpoints share
 *                it when a hostname resolved to several addresses
 * @param address resolved when the configuration was loaded (never resolved again on the hot path)
 * @param weight  share of the traffic relative to the cluster's other endpoints, at least 1
 */
public record EndpointConfig(String name, InetSocketAddress address, int weight) {

    public EndpointConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("endpoint address must be resolved: " + AddressText.of(address));
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1: " + weight);
        }
    }
}
