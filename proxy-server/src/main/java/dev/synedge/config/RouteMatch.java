package dev.synedge.config;

import dev.synedge.http.Method;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a route takes ({@code synedge.routes[i].match}). A request matches when its host, its
 * path and its method all match.
 *
 * @param hosts   normalized host patterns: lower case, no port, no trailing dot, IPv6 literals
 *                in brackets as RFC 5952 writes them; {@code *.example.com} matches any name
 *                ending in {@code .example.com} (not {@code example.com} itself); empty = any host
 * @param path    the path condition
 * @param methods the methods taken; empty = any method
 */
public record RouteMatch(List<String> hosts, PathMatch path, Set<Method> methods) {

    public RouteMatch {
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(path, "path");
        methods = methods.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(methods));
    }

    /** How a route matches the request path (the target up to, not including, {@code ?}). */
    public sealed interface PathMatch {

        /** The path as configured, starting with {@code /}. */
        String path();

        /**
         * Matches a path that starts with {@code path} on a segment boundary: {@code /api}
         * matches {@code /api}, {@code /api/} and {@code /api/v1} but not {@code /apiary}; a
         * prefix ending in {@code /} matches only below it; {@code /} matches every path.
         */
        record Prefix(String path) implements PathMatch {
            public Prefix {
                Objects.requireNonNull(path, "path");
            }
        }

        /** Matches exactly this path, byte for byte. */
        record Exact(String path) implements PathMatch {
            public Exact {
                Objects.requireNonNull(path, "path");
            }
        }
    }
}
