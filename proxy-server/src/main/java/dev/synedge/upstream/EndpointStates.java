package dev.synedge.upstream;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.synedge.config.EndpointStateConfig;
import dev.synedge.net.AddressText;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The endpoint state cache: one {@link EndpointState} per upstream address, bounded and
 * expiring after access (Caffeine). Keyed by address rather than by cluster entry, because
 * what it learns (Fast Open cookies, RTT) belongs to the destination, as the kernel's own
 * cookie cache does.
 *
 * <p>Looked up once per new upstream connection, never per request on a pooled one.
 * Maintenance runs on the calling thread: a few amortized nanoseconds, no pool thread.
 */
public final class EndpointStates {

    private final Cache<InetSocketAddress, EndpointState> cache;

    public EndpointStates(EndpointStateConfig config) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.maxEndpoints())
                .expireAfterAccess(config.expireAfterAccess())
                .executor(Runnable::run)
                .build();
    }

    /** Takes new bounds (a reload); what the cache holds stays, down to the new maximum. */
    public void resize(EndpointStateConfig config) {
        cache.policy().eviction().ifPresent(eviction -> eviction.setMaximum(config.maxEndpoints()));
        cache.policy().expireAfterAccess().ifPresent(expiry -> expiry.setExpiresAfter(config.expireAfterAccess()));
    }

    public EndpointState of(InetSocketAddress address) {
        return cache.get(address, key -> new EndpointState(AddressText.of(key)));
    }

    /** The state if the cache has one (for metrics and tests); never creates one. */
    public EndpointState peek(InetSocketAddress address) {
        return cache.getIfPresent(address);
    }

    public long size() {
        return cache.estimatedSize();
    }

    /**
     * The state if the cache has one, without counting this as a use: reading metrics must
     * not keep an endpoint from expiring.
     */
    public EndpointState peekQuietly(InetSocketAddress address) {
        return cache.policy().getIfPresentQuietly(address);
    }

    /** Every endpoint the cache holds now, without counting this as a use of any. */
    public Map<InetSocketAddress, EndpointState> all() {
        return Map.copyOf(cache.asMap());
    }
}
