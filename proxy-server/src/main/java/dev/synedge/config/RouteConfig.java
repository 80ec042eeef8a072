package dev.synedge.config;

import dev.synedge.http.ForwardedMode;
import dev.synedge.http.HeaderEdits;
import java.util.List;
import java.util.Objects;

/**
 * One route as configured ({@code synedge.routes[i]}); {@code dev.synedge.routing.Router}
 * compiles the list into its matching structure.
 *
 * @param name            unique among routes; appears in access logs and metrics
 * @param match           which requests the route takes
 * @param cluster         name of the cluster requests go to (validated to exist)
 * @param rewritePrefix   replaces the matched path prefix (the whole path for an exact match)
 *                        when forwarding; null leaves the path alone
 * @param idempotent      requests on this route are replay-safe whatever their method, so they
 *                        may be retried and may ride in upstream SYN data
 * @param xForwarded      policy for X-Forwarded-For/-Proto/-Host
 * @param forwarded       policy for Forwarded (RFC 7239)
 * @param trustedHops     client addresses whose forwarding fields are believed
 * @param requestHeaders  edits to forwarded requests
 * @param responseHeaders edits to responses sent back
 */
public record RouteConfig(String name, RouteMatch match, String cluster, String rewritePrefix,
                          boolean idempotent, ForwardedMode xForwarded, ForwardedMode forwarded,
                          List<Cidr> trustedHops, HeaderEdits requestHeaders,
                          HeaderEdits responseHeaders) {

    public RouteConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(xForwarded, "xForwarded");
        Objects.requireNonNull(forwarded, "forwarded");
        trustedHops = List.copyOf(trustedHops);
        Objects.requireNonNull(requestHeaders, "requestHeaders");
        Objects.requireNonNull(responseHeaders, "responseHeaders");
    }
}
