package dev.synedge.routing;

import dev.synedge.http.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The routes competing for one host (or for any host), in configuration order, indexed by the
 * first path segment they require when there are enough of them to make scanning slow.
 *
 * <p>Prefixes match on segment boundaries, so every route path but the prefix {@code /} fixes
 * the request's first segment: {@code /api}, {@code /api/} and {@code /api/v1} all need it to
 * be {@code api}, the exact path {@code /} needs it empty. A lookup takes the routes filed under
 * the request's segment plus the routes that don't care (prefix {@code /}), both in index order.
 * Segments are filed case-insensitively, a superset; {@link Route#matches} has the last word.
 */
final class PathIndex {

    /** Below this many routes a plain scan beats a table lookup. */
    private static final int INDEX_FROM = 8;

    /** Every route when not indexed; else the routes with no segment condition. */
    private final int[] unindexed;
    /** Route indices by lower-case first segment; null when not indexed. */
    private final NameTable<int[]> bySegment;

    private PathIndex(int[] unindexed, NameTable<int[]> bySegment) {
        this.unindexed = unindexed;
        this.bySegment = bySegment;
    }

    /** @param indices route indices, ascending */
    static PathIndex of(int[] indices, Route[] routes) {
        if (indices.length < INDEX_FROM) {
            return new PathIndex(indices, null);
        }
        Map<String, ArrayList<Integer>> bySegment = new TreeMap<>();
        ArrayList<Integer> any = new ArrayList<>();
        for (int index : indices) {
            String segment = routes[index].firstSegment();
            if (segment == null) {
                any.add(index);
            } else {
                bySegment.computeIfAbsent(segment.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(index);
            }
        }
        Map<String, int[]> table = new TreeMap<>();
        bySegment.forEach((segment, list) -> table.put(segment, list.stream().mapToInt(Integer::intValue).toArray()));
        return new PathIndex(any.stream().mapToInt(Integer::intValue).toArray(), new NameTable<>(table));
    }

    /**
     * The lowest route index below {@code best} whose route takes the request, else {@code best}.
     *
     * @param segmentEnd  end of the request's first segment in {@code path} (it starts at 1), or
     *                    -1 when the request has none that a route could require
     * @param segmentHash {@link NameTable#hash} of that segment
     */
    int first(Route[] routes, int best, byte[] path, int pathLength, int segmentEnd, int segmentHash,
              Method method) {
        if (bySegment != null && segmentEnd >= 0) {
            int[] candidates = bySegment.get(path, 1, segmentEnd, segmentHash);
            if (candidates != null) {
                best = first(candidates, routes, best, path, pathLength, method);
            }
        }
        return first(unindexed, routes, best, path, pathLength, method);
    }

    private static int first(int[] candidates, Route[] routes, int best, byte[] path, int pathLength,
                             Method method) {
        for (int index : candidates) {
            if (index >= best) {
                return best;
            }
            if (routes[index].matches(path, pathLength, method)) {
                return index;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return bySegment == null ? Arrays.toString(unindexed) : "indexed, unconditional " + Arrays.toString(unindexed);
    }
}
