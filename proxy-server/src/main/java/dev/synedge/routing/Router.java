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
 * <p>Matching reads the host and path straight from the request head's ByteBuf, allocates
 * nothing, and does not look at every route:
 * <ul>
 *   <li>routes naming exact hosts sit in a hash table keyed by the lower-case host;</li>
 *   <li>routes naming {@code *.suffix} sit in a second table keyed by {@code .suffix}, probed
 *       once per dot of the request's host ({@code a.b.example.com} probes {@code .b.example.com},
 *       {@code .example.com} and {@code .com});</li>
 *   <li>routes for any host are kept in a list.</li>
 * </ul>
 * Each entry holds the indices of its routes in configuration order. The candidates from the
 * three sources are walked index-first: each source's list is scanned only up to the best
 * index found so far, and the lowest index whose path and method match wins. So an any-host
 * route written before an exact-host route still wins for that host, exactly as a linear
 * first-match scan would decide.
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
    private final HostTable exactHosts;
    private final HostTable wildcardSuffixes;
    private final boolean hostTables;
    private final boolean wildcards;
    private final int[] anyHost;

    private Router(Route[] routes, HostTable exactHosts, HostTable wildcardSuffixes, int[] anyHost) {
        this.routes = routes;
        this.routeList = List.of(routes);
        this.exactHosts = exactHosts;
        this.wildcardSuffixes = wildcardSuffixes;
        this.wildcards = !wildcardSuffixes.isEmpty();
        this.hostTables = wildcards || !exactHosts.isEmpty();
        this.anyHost = anyHost;
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
        return new Router(routes, new HostTable(toArrays(exact)), new HostTable(toArrays(wildcard)),
                any.stream().mapToInt(Integer::intValue).toArray());
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
        int best = NONE;
        if (hostTables && hostStart < hostEnd) {
            int end = hostEnd(buf, hostStart, hostEnd);
            int hash = 0;
            for (int i = end - 1; i >= hostStart; i--) {
                byte b = buf.getByte(i);
                hash = HostTable.step(hash, b);
                if (b == '.' && wildcards && i > hostStart) {
                    int[] candidates = wildcardSuffixes.get(buf, i, end, hash);
                    if (candidates != null) {
                        best = first(candidates, best, buf, pathStart, pathEnd, method);
                    }
                }
            }
            if (end > hostStart) {
                int[] candidates = exactHosts.get(buf, hostStart, end, hash);
                if (candidates != null) {
                    best = first(candidates, best, buf, pathStart, pathEnd, method);
                }
            }
        }
        best = first(anyHost, best, buf, pathStart, pathEnd, method);
        return best == NONE ? null : routes[best];
    }

    /** The end of the host name proper: before the port, after an IPv6 literal's ']', before a trailing dot. */
    private static int hostEnd(ByteBuf buf, int start, int end) {
        if (buf.getByte(start) == '[') {
            for (int i = start + 1; i < end; i++) {
                if (buf.getByte(i) == ']') {
                    return i + 1;
                }
            }
            return end;
        }
        int stop = end;
        for (int i = start; i < end; i++) {
            if (buf.getByte(i) == ':') {
                stop = i;
                break;
            }
        }
        if (stop > start && buf.getByte(stop - 1) == '.') {
            stop--;
        }
        return stop;
    }

    /** The lowest index in {@code candidates} below {@code best} whose route matches, else {@code best}. */
    private int first(int[] candidates, int best, ByteBuf buf, int pathStart, int pathEnd, Method method) {
        for (int index : candidates) {
            if (index >= best) {
                return best;
            }
            if (routes[index].matches(buf, pathStart, pathEnd, method)) {
                return index;
            }
        }
        return best;
    }

    private static Map<String, int[]> toArrays(Map<String, List<Integer>> table) {
        Map<String, int[]> arrays = new LinkedHashMap<>();
        table.forEach((host, indices) -> arrays.put(host, indices.stream().mapToInt(Integer::intValue).toArray()));
        return arrays;
    }

    @Override
    public String toString() {
        return "Router" + Arrays.toString(routes);
    }
}
