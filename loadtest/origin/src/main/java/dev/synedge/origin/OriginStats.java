package dev.synedge.origin;

/**
 * What an origin has done since it started or since its last reset: the ground truth a load
 * test compares its client-side counts with. Requests to {@code /stats} are not counted.
 *
 * @param connectionsAccepted TCP connections accepted
 * @param connectionsWithSynData accepted connections whose SYN carried data (TCP Fast Open),
 *     read from {@code TCP_INFO} ({@code TCPI_OPT_SYN_DATA}) when the connection is accepted
 * @param requests complete requests received (head and body), including those answered with a
 *     fault and those rejected as bad
 * @param responses complete responses handed to the kernel (faulted ones are not counted)
 * @param responseBodyBytes response body bytes handed to the kernel (content only: neither
 *     heads nor chunk framing), including the partial bodies of faults. Counted as each write
 *     is issued and taken back if it fails (the client left), so a client that has read a
 *     response always finds it counted, and a write lost to a closed connection is
 *     subtracted once the connection's close is processed
 * @param requestBodyBytes request body bytes received (content, after removing chunk framing)
 * @param faults faults injected on purpose ({@code fault=...})
 * @param badRequests requests answered with 4xx/5xx because they were malformed or their
 *     parameters were invalid (the bad request is also counted in {@code requests} when its
 *     head could be read)
 * @param webSocketUpgrades connections switched to the WebSocket echo
 */
public record OriginStats(
        long connectionsAccepted,
        long connectionsWithSynData,
        long requests,
        long responses,
        long responseBodyBytes,
        long requestBodyBytes,
        long faults,
        long badRequests,
        long webSocketUpgrades) {

    /** The counters as one JSON object, as {@code GET /stats} returns them. */
    public String toJson() {
        return "{\"connectionsAccepted\":" + connectionsAccepted
                + ",\"connectionsWithSynData\":" + connectionsWithSynData
                + ",\"requests\":" + requests
                + ",\"responses\":" + responses
                + ",\"responseBodyBytes\":" + responseBodyBytes
                + ",\"requestBodyBytes\":" + requestBodyBytes
                + ",\"faults\":" + faults
                + ",\"badRequests\":" + badRequests
                + ",\"webSocketUpgrades\":" + webSocketUpgrades
                + "}";
    }
}
