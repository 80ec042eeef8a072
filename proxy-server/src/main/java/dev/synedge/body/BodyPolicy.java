package dev.synedge.body;

import dev.synedge.config.ClusterConfig.ResponseBody;
import dev.synedge.http.RelayFraming;

/**
 * Picks the {@link BodyPath} of one response from the cluster's {@code response-body} setting,
 * the body's relay framing and size, and what the host and the upstream socket can do. The
 * fast paths only ever move body data: heads, chunk framing and trailers are always parsed.
 *
 * <ul>
 *   <li>{@code copy}: always {@link BodyPath#COPY}.
 *   <li>{@code zero-copy}: {@link BodyPath#MAPPED} for every body, whatever its framing, when the
 *       socket can be mapped (not MPTCP); else copy.
 *   <li>{@code splice}: {@link BodyPath#SPLICE} for Content-Length bodies, which pass through
 *       unchanged; every other framing needs its bytes parsed or rewritten, so it is copied.
 *   <li>{@code auto}: Content-Length bodies of at least {@link #AUTO_MIN_BODY} are spliced;
 *       chunked and close-delimited bodies, whose size is unknown, are mapped while the host maps
 *       pages ({@link ZeroCopyProbe}) and copied otherwise; smaller bodies are copied.
 * </ul>
 *
 * <p>Why (measured for issue 5 on loopback, 2 shared cores, proxy CPU seconds per GB; the bench
 * runs are in the notes and under loadtest/results): splicing costs 0.4-0.5x the CPU of
 * copying on /1m and /16m (0.20-0.25 against 0.42-0.64 s/GB) and passes HAProxy's splice
 * (1.07-1.27x); at 32 KiB it costs about what copying does. Mapping saves the receive copy but
 * still copies every byte into the client socket. Where every segment arrives as whole pages
 * (an origin sending with MSG_ZEROCOPY, the loopback stand-in for a header-split NIC) and the
 * upstream sends page-sized segments, 96% of the bytes map and mapping costs 0.53-0.66x
 * copying's CPU on /1m and 0.72-0.83x on /16m (one run 1.04x). Part of that is loopback's bookkeeping, which
 * charges the proxy for its peers' packet processing, the copy path more. Counting the
 * proxy's own work alone (its own core, receive processing steered to the other), mapping
 * costs 0.96-1.01x on /1m and 0.79-0.90x on /16m: giving a page back and mapping the next costs
 * about 350 ns here, against about 550 ns to copy it. From an origin whose segments start mid-page
 * about 91% maps, each segment takes two receives, and it costs 0.74-0.81x on /1m and
 * 0.81-0.93x on /16m (cores shared). So it is the path for bodies that cannot be spliced, and only
 * where pages map. On loopback they map only from a MSG_ZEROCOPY sender or with
 * {@code net.core.high_order_alloc_disable=1} (which makes every copy dearer), and never from an
 * origin that sends page cache (nginx's sendfile).
 */
public final class BodyPolicy {

    /** The smallest Content-Length that {@code auto} moves by a fast path. */
    public static final long AUTO_MIN_BODY = 128 << 10;
    /**
     * Zero-copy window per upstream socket: the most mapped memory one slow client can hold.
     * Address space only until pages are mapped into it.
     */
    public static final long WINDOW_BYTES = 2 << 20;
    /** The most one zero-copy receive maps, so that the window keeps room while a write is in flight. */
    public static final long MAX_MAPPING = 512 << 10;
    /**
     * Capacity asked for each splice pipe: the most one spliced body holds in the kernel between
     * sockets. 64 KiB, the kernel's default: measured side by side on /1m (before splices took
     * turns), 256 KiB pipes moved 0.66x HAProxy's throughput and 64 KiB 0.80-0.86x; 16, 32 and
     * 128 KiB did no better.
     */
    public static final int PIPE_BYTES = 64 << 10;
    /**
     * What one splice gives its client per turn of the loop before it lets the loop's other
     * work run, going on in a task. A splice that drains a fast upstream into a client without
     * pause sends faster than the client socket's pacing rate (BBR paces even on loopback), and
     * each send that comes too early arms a pacing timer, a timer reprogram and a softirq:
     * measured on /1m, 6.1 timer starts per response against HAProxy's 2.5, and 3.9 with turns
     * of a pipe-full. The copy and zero-copy paths were measured with the same turns and did
     * not gain (0.88 vs 0.86 and 0.75 vs 0.70 s CPU/GB on /1m), so they read on until blocked.
     */
    public static final long TURN_BYTES = PIPE_BYTES;

    private BodyPolicy() {}

    /**
     * Whether new upstream connections of a cluster with this setting ask for page-sized
     * segments ({@code PageSegments}), which let a receive map many segments at once instead
     * of stopping at each one's ragged end: the path is chosen per response, but the segment
     * size only goes with the SYN. Smaller segments cost a little on every path, so
     * {@code zero-copy} asks until this host is seen to map nothing, and {@code auto}, which
     * maps only bodies it cannot splice, asks once this host was seen to map pages.
     */
    public static boolean asksForPageSegments(ResponseBody setting, ZeroCopyProbe probe) {
        return switch (setting) {
            case ZERO_COPY -> probe.worthTrying();
            case AUTO -> probe.maps();
            case COPY, SPLICE -> false;
        };
    }

    /**
     * @param contentLength the body's length when {@code framing} is CONTENT_LENGTH
     * @param hostMaps      zero-copy receive is worth trying on this host
     * @param mappable      the upstream socket can be mapped (false for MPTCP)
     */
    public static BodyPath choose(ResponseBody setting, RelayFraming framing, long contentLength, boolean hostMaps,
                                  boolean mappable) {
        if (framing == RelayFraming.NONE) {
            return BodyPath.COPY;
        }
        boolean passedThrough = framing == RelayFraming.CONTENT_LENGTH;
        return switch (setting) {
            case COPY -> BodyPath.COPY;
            case ZERO_COPY -> mappable ? BodyPath.MAPPED : BodyPath.COPY;
            case SPLICE -> passedThrough ? BodyPath.SPLICE : BodyPath.COPY;
            case AUTO -> {
                if (passedThrough) {
                    yield contentLength >= AUTO_MIN_BODY ? BodyPath.SPLICE : BodyPath.COPY;
                }
                yield hostMaps && mappable ? BodyPath.MAPPED : BodyPath.COPY;
            }
        };
    }
}
