package dev.synedge.routing;

import dev.synedge.config.RouteConfig;
import dev.synedge.config.RouteMatch.PathMatch;
import dev.synedge.http.ForwardedMode;
import dev.synedge.http.HeaderEdits;
import dev.synedge.http.Method;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

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

    /** True when {@link #writePath} changes the path. */
    public boolean rewritesPath() {
        return rewritePrefix != null;
    }

    /**
     * Writes the path to forward for a request this route matched: the path at
     * {@code [pathStart, pathEnd)} of {@code request} (without the query, which the caller
     * copies after it), with the matched prefix replaced by the rewrite prefix when there is
     * one. Where the two join, one slash is kept: prefix {@code /api} with rewrite {@code /}
     * turns {@code /api/users} into {@code /users} and {@code /api} into {@code /}. An empty
     * path (absolute-form target without one) is written as {@code /}.
     *
     * <p>Reads {@code request} without moving its indices; appends to {@code out}. Neither
     * buffer's ownership changes.
     */
    public void writePath(ByteBuf request, int pathStart, int pathEnd, ByteBuf out) {
        if (pathStart == pathEnd) {
            if (rewritePrefix != null) {
                out.writeBytes(rewritePrefix);
            } else {
                out.writeByte(SLASH);
            }
            return;
        }
        if (rewritePrefix == null) {
            out.writeBytes(request, pathStart, pathEnd - pathStart);
            return;
        }
        out.writeBytes(rewritePrefix);
        int rest = pathStart + replacedLength;
        if (rest < pathEnd && request.getByte(rest) == SLASH && rewritePrefix[rewritePrefix.length - 1] == SLASH) {
            rest++;
        }
        if (rest < pathEnd) {
            out.writeBytes(request, rest, pathEnd - rest);
        }
    }

    /** True when the method is taken and the path at {@code [start, end)} matches. */
    boolean matches(ByteBuf buf, int start, int end, Method method) {
        if ((methods & (1 << method.ordinal())) == 0) {
            return false;
        }
        int length = end - start;
        byte[] p = path;
        if (length == 0) {
            return p.length == 1;
        }
        if (exact ? length != p.length : length < p.length) {
            return false;
        }
        if (segmentBoundary && length > p.length && buf.getByte(start + p.length) != SLASH) {
            return false;
        }
        // From the end: prefixes of one configuration tend to share their beginnings.
        for (int i = p.length - 1; i >= 0; i--) {
            if (buf.getByte(start + i) != p[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Route[" + index + " " + config.name() + " -> " + config.cluster() + "]";
    }
}
