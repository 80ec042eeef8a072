package dev.synedge.routing;

import dev.synedge.config.RouteConfig;
import dev.synedge.http.Method;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the route for a request: the FIRST route in configuration order whose host, path and
 * method conditions all hold, or null when none does (the caller answers 404).
 *
 * <p>Matching copies the host and the start of the path out of the request head's ByteBuf
 * into per-thread arrays (one bulk read each), allocates nothing, and looks at few routes:
 * <ul>
 *   <li>routes naming exact hosts sit in a hash table keyed by the lower-case host;</li>
 *   <li>routes naming {@code *.suffix} sit in a second table keyed by {@code .suffix}, probed
 *       once per dot of the request's host ({@code a.b.example.com} probes {@code .b.example.com},
 *       {@code .example.com} and {@code .com});</li>
 *   <li>routes for any host are kept apart;</li>
 *   <li>within each of these, a long list of routes is split by the first path segment it
 *       requires ({@link PathIndex}).</li>
 * </ul>
 * Every list holds route indices in configuration order. The candidates from all sources are
 * walked index-first: each list is scanned only up to the best index found so far, and the
 * lowest index whose path and method match wins. So an any-host route written before an
 * exact-host route still wins for that host, exactly as a linear first-match scan would decide.
 *
 * <p>Host handling: case-insensitive; a port ({@code example.com:8080}) and one trailing dot
 * are ignored; an IPv6 literal is matched with its brackets as the client wrote it
 * ({@code [::1]:8080} matches the pattern {@code [::1]}); an empty host (HTTP/1.0 without Host)
 * matches only any-host routes. Paths are compared byte for byte as sent, without
 * percent-decoding; an empty path (absolute-form target) is treated as {@code /}.
 *
 * <p>Immutable; one instance serves all event loops.
 */
public final class Router {

    private static final int NONE = Integer.MAX_VALUE;

    private final Route[] routes;
    private final List<Route> routeList;
    private final NameTable<PathIndex> exactHosts;
    private final NameTable<PathIndex> wildcardSuffixes;
    private final boolean hostTables;
    private final boolean wildcards;
    private final PathIndex anyHost;
    /** Bytes of a request path that matching reads at most: the longest route path, plus one. */
    private final int pathBytes;

    private Router(Route[] routes, NameTable<PathIndex> exactHosts, NameTable<PathIndex> wildcardSuffixes,
                   PathIndex anyHost) {
        this.routes = routes;
        this.routeList = List.of(routes);
        this.exactHosts = exactHosts;
        this.wildcardSuffixes = wildcardSuffixes;
        this.wildcards = !wildcardSuffixes.isEmpty();
        this.hostTables = wildcards || !exactHosts.isEmpty();
        this.anyHost = anyHost;
        this.pathBytes = Arrays.stream(routes).mapToInt(Route::pathBytes).max().orElse(0) + 1;
    }

    /** Compiles validated routes (from {@code ProxyConfig.routes()}), keeping their order. */
    public static Router compile(List<RouteConfig> configs) {
        Route[] routes = new Route[configs.size()];
        Map<String, List<Integer>> exact = new LinkedHashMap<>();
        Map<String, List<Integer>> wildcard = new LinkedHashMap<>();
        List<Integer> any = new ArrayList<>();
        for (int i = 0; i < routes.length; i++) {
            RouteConfig config = configs.get(i);
            routes[i] = new Route(i, config);
            if (config.match().hosts().isEmpty()) {
                any.add(i);
            }
            for (String host : config.match().hosts()) {
                boolean isWildcard = host.startsWith("*.");
                Map<String, List<Integer>> table = isWildcard ? wildcard : exact;
                List<Integer> indices = table.computeIfAbsent(isWildcard ? host.substring(1) : host,
                        k -> new ArrayList<>());
                if (indices.isEmpty() || indices.getLast() != i) {
                    indices.add(i);
                }
            }
        }
        return new Router(routes, index(exact, routes), index(wildcard, routes),
                PathIndex.of(toArray(any), routes));
    }

    /** The routes, in configuration order ({@link Route#index()} is the position). */
    public List<Route> routes() {
        return routeList;
    }

    /**
     * The first route taking the request, or null.
     *
     * @param buf       the request head; read with absolute indices, never modified or released
     * @param hostStart start of the host (Host field value, or the authority of an absolute-form
     *                  target), port included if sent
     * @param hostEnd   end of the host, exclusive; equal to hostStart when there is none
     * @param pathStart start of the path in the request target
     * @param pathEnd   end of the path, exclusive, before any {@code ?query}
     * @param method    the request method
     */
    public Route match(ByteBuf buf, int hostStart, int hostEnd, int pathStart, int pathEnd, Method method) {
        Scratch scratch = Scratch.get();
        int pathLength = pathEnd - pathStart;
        int copied = Math.min(pathLength, pathBytes);
        byte[] path = scratch.path(copied);
        buf.getBytes(pathStart, path, 0, copied);
        int segmentEnd = segmentEnd(path, copied, pathLength);
        int segmentHash = segmentEnd < 0 ? 0 : NameTable.hash(path, 1, segmentEnd);

        int best = NONE;
        if (hostTables && hostStart < hostEnd) {
            byte[] host = scratch.host;
            int hostLength = Math.min(hostEnd - hostStart, host.length);
            buf.getBytes(hostStart, host, 0, hostLength);
            int end = hostEnd(host, hostLength, hostLength < hostEnd - hostStart);
            int hash = 0;
            for (int i = end - 1; i >= 0; i--) {
                byte b = host[i];
                hash = NameTable.step(hash, b);
                if (b == '.' && wildcards && i > 0) {
                    PathIndex candidates = wildcardSuffixes.get(host, i, end, hash);
                    if (candidates != null) {
                        best = candidates.first(routes, best, path, pathLength, segmentEnd, segmentHash, method);
                    }
                }
            }
            if (end > 0) {
                PathIndex candidates = exactHosts.get(host, 0, end, hash);
                if (candidates != null) {
                    best = candidates.first(routes, best, path, pathLength, segmentEnd, segmentHash, method);
                }
            }
        }
        best = anyHost.first(routes, best, path, pathLength, segmentEnd, segmentHash, method);
        return best == NONE ? null : routes[best];
    }

    /**
     * The end of the path's first segment, which starts at 1: the next '/' or the end of the
     * path; 1 for an empty path (read as "/"); -1 when there is no leading '/' or the segment
     * runs past the copied bytes, longer than any route's.
     */
    private static int segmentEnd(byte[] path, int copied, int pathLength) {
        if (pathLength == 0) {
            return 1;
        }
        if (path[0] != '/') {
            return -1;
        }
        for (int i = 1; i < copied; i++) {
            if (path[i] == '/') {
                return i;
            }
        }
        return copied == pathLength ? pathLength : -1;
    }

    /**
     * The end of the host name proper in {@code host[0, length)}: before the port, after an IPv6
     * literal's ']', before a trailing dot; 0 (matching no host pattern) when the name runs
     * past the copied bytes, which no pattern is long enough to match.
     */
    private static int hostEnd(byte[] host, int length, boolean truncated) {
        if (host[0] == '[') {
            for (int i = 1; i < length; i++) {
                if (host[i] == ']') {
                    return i + 1;
                }
            }
            return truncated ? 0 : length;
        }
        int stop = -1;
        for (int i = 0; i < length; i++) {
            if (host[i] == ':') {
                stop = i;
                break;
            }
        }
        if (stop < 0) {
            if (truncated) {
                return 0;
            }
            stop = length;
        }
        if (stop > 0 && host[stop - 1] == '.') {
            stop--;
        }
        return stop;
    }

    private static NameTable<PathIndex> index(Map<String, List<Integer>> table, Route[] routes) {
        Map<String, PathIndex> indexed = new LinkedHashMap<>();
        table.forEach((host, indices) -> indexed.put(host, PathIndex.of(toArray(indices), routes)));
        return new NameTable<>(indexed);
    }

    private static int[] toArray(List<Integer> indices) {
        return indices.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        return "Router" + Arrays.toString(routes);
    }
}
