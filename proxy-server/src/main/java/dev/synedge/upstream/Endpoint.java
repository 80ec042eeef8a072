package dev.synedge.upstream;

import java.net.InetSocketAddress;

/**
 * One address of a cluster, as the upstream code uses it: what to connect to, its weight,
 * and a printable name for logs and metrics ({@code 127.0.0.1:9000}, {@code [::1]:80}: its
 * address as {@link dev.synedge.net.AddressText} writes it).
 */
public record Endpoint(String cluster, InetSocketAddress address, int weight, String name) {

    @Override
    public String toString() {
        return name;
    }
}
