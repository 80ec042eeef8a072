package dev.synedge.routing;

import dev.synedge.config.RouteConfig;
import dev.synedge.config.RouteMatch.PathMatch;
import dev.synedge.http.ForwardedMode;
import dev.synedge.http.HeaderEdits;
import dev.synedge.http.Method;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A compiled route: what {@link Router#match} returns and what the exchange reads to forward
 * the request. Immutable, shared by all event loops.
 */
public final class Route {

    private static final byte SLASH = '/';

    private final int index;
    private final RouteConfig config;
    private final TrustedHops trustedHops;
    /** The configured prefix or exact path. */
    private final byte[] path;
    private final boolean exact;
    /** A prefix not ending in '/' must be followed by '/' or the end of the path. */
    private final boolean segmentBoundary;
    /** Bytes of the matched path that the rewrite prefix replaces. */
    private final int replacedLength;
    /** Bit {@code 1 << Method.ordinal()} per method taken; all bits when any method is. */
    private final int methods;
    private final byte[] rewritePrefix;

    Route(int index, RouteConfig config) {
        this.index = index;
        this.config = config;
        this.trustedHops = TrustedHops.of(config.trustedHops());
        PathMatch match = config.match().path();
        this.path = match.path().getBytes(StandardCharsets.US_ASCII);
        this.exact = match instanceof PathMatch.Exact;
        this.segmentBoundary = !exact && path[path.length - 1] != SLASH;
        this.replacedLength = exact || segmentBoundary ? path.length : path.length - 1;
        int mask = 0;
        for (Method method : config.match().methods()) {
            mask |= 1 << method.ordinal();
        }
        this.methods = mask == 0 ? -1 : mask;
        this.rewritePrefix = config.rewritePrefix() == null ? null
                : config.rewritePrefix().getBytes(StandardCharsets.US_ASCII);
    }

    /** Position in the configuration's route list (0-based), handy to index per-route arrays. */
    public int index() {
        return index;
    }

    public String name() {
        return config.name();
    }

    /** Name of the cluster to forward to. */
    public String cluster() {
        return config.cluster();
    }

    /** The route marked replay-safe whatever the method ({@code idempotent = true}). */
    public boolean idempotent() {
        return config.idempotent();
    }

    /**
     * True when a request with this method may be sent twice on this route (retried, or put in
     * SYN data): the method is replay-safe or the route is marked idempotent. For PUT and DELETE
     * the caller still checks that no body bytes were consumed.
     */
    public boolean replaySafe(Method method) {
        return config.idempotent() || method.replaySafe();
    }

    public ForwardedMode xForwarded() {
        return config.xForwarded();
    }

    public ForwardedMode forwarded() {
        return config.forwarded();
    }

    public TrustedHops trustedHops() {
        return trustedHops;
    }

    public HeaderEdits requestHeaders() {
        return config.requestHeaders();
    }

    public HeaderEdits responseHeaders() {
        return config.responseHeaders();
    }

    /** The record this route was compiled from. */
    public RouteConfig config() {
        return config;
    }

    /**
     * The bytes of a matched path that the rewrite replaces (the configured prefix without a
     * trailing slash, or the exact path), or null when the route does not rewrite. A head writer
     * replaces them with {@link #rewriteTo()}, keeping one slash where the two meet: prefix
     * {@code /api} with rewrite {@code /} turns {@code /api/users} into {@code /users}.
     */
    public byte[] rewriteFrom() {
        return rewritePrefix == null ? null : Arrays.copyOf(path, replacedLength);
    }

    /** The rewrite prefix, or null when the route does not rewrite. */
    public byte[] rewriteTo() {
        return rewritePrefix == null ? null : rewritePrefix.clone();
    }

    /**
     * The first path segment a request needs to match this route ({@code api} for {@code /api},
     * {@code /api/} or {@code /api/v1}, empty for the exact path {@code /}), or null for the
     * prefix {@code /}, which takes any.
     */
    String firstSegment() {
        if (!exact && path.length == 1) {
            return null;
        }
        int end = 1;
        while (end < path.length && path[end] != SLASH) {
            end++;
        }
        return new String(path, 1, end - 1, StandardCharsets.US_ASCII);
    }

    /** Length of the configured path: the most bytes of a request path {@link #matches} reads, plus one. */
    int pathBytes() {
        return path.length;
    }

    /**
     * True when the method is taken and the request path matches.
     *
     * @param request the first {@code min(length, pathBytes() + 1)} bytes of the path, at least
     * @param length  the whole path's length
     */
    boolean matches(byte[] request, int length, Method method) {
        if ((methods & (1 << method.ordinal())) == 0) {
            return false;
        }
        byte[] p = path;
        if (length == 0) {
            return p.length == 1;
        }
        if (exact ? length != p.length : length < p.length) {
            return false;
        }
        if (segmentBoundary && length > p.length && request[p.length] != SLASH) {
            return false;
        }
        return Arrays.equals(request, 0, p.length, p, 0, p.length);
    }

    @Override
    public String toString() {
        return "Route[" + index + " " + config.name() + " -> " + config.cluster() + "]";
    }
}
