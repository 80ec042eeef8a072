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
 *       pages ({@link ZeroCopyProbe}) and the socket can be mapped, and copied otherwise; smaller
 *       Content-Length bodies are copied.
 * </ul>
 *
 * <p>Why {@code auto} chooses so: a spliced body never enters user space and costs the least CPU
 * per byte, but only bytes that pass through unchanged can be spliced. Mapping saves the copy
 * out of the upstream socket, yet still copies every byte into the client socket and pays to
 * map each page and give it back, so it is for the bodies splice cannot take, and only where
 * pages map: segments that arrive as whole pages (a header-split NIC, or on loopback a sender
 * using MSG_ZEROCOPY), never page cache sent with sendfile. The figures for each path are in
 * BENCHMARKS.md, section "Response body paths".
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
     * sockets. 64 KiB, the kernel's default: side by side on 1 MiB bodies, larger pipes moved
     * less and smaller ones no more.
     */
    public static final int PIPE_BYTES = 64 << 10;
    /**
     * What one splice gives its client per turn of the loop before it lets the loop's other
     * work run, going on in a task. A splice that drains a fast upstream into a client without
     * pause sends faster than the client socket's pacing rate (BBR paces even on loopback), and
     * each send that comes too early arms a pacing timer, a timer reprogram and a softirq; turns
     * of a pipe-full leave fewer sends early. The copy and zero-copy paths gained nothing from
     * the same turns, so they read on until blocked.
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
