package dev.synedge.exchange;

/**
 * Where an {@link Exchange} is, from the response's side: the phase decides what its timer
 * means and which upstream events still matter. The request's side (how much of the body was
 * taken from the client and written upstream) is {@link RequestForwarder}'s, since a request
 * body may still be on its way while the response comes back.
 *
 * <pre>
 * ROUTING (-> QUEUED) -> CONNECTING -> AWAITING_RESPONSE -> RESPONSE_HEAD -> RESPONSE_BODY -> DONE
 *    |           |  ^             |                  |
 *    |           |  '-- retry ----'                  '--> TUNNEL -> DONE
 *    '-----------'-----> AWAITING_RESPONSE (an idle pooled connection, or connected at once)
 * </pre>
 * Any phase may end in {@link #DONE}.
 */
enum Phase {
    /** The request head is read and checked and an endpoint is chosen; no upstream socket yet. */
    ROUTING,
    /**
     * Every endpoint of the cluster is at its connection cap: the exchange waits in the
     * cluster's queue for a connection to come free.
     */
    QUEUED,
    /**
     * A new upstream connection's handshake is under way. With deferred-connect Fast Open the
     * request may already have left in the SYN.
     */
    CONNECTING,
    /** The upstream connection is up: the request goes up and no response byte came back yet. */
    AWAITING_RESPONSE,
    /** Response bytes came: the head (and any interim responses before it) is being read. */
    RESPONSE_HEAD,
    /** The final response head is parsed (held back or written): its body is relayed. */
    RESPONSE_BODY,
    /** The upstream answered an upgrade with 101: bytes flow both ways unparsed. */
    TUNNEL,
    /** Ended: everything is released, and events that still arrive are ignored. */
    DONE;

    /** Whether any response byte came from the upstream. */
    boolean responseStarted() {
        return this == RESPONSE_HEAD || this == RESPONSE_BODY || this == TUNNEL;
    }

    /** Whether the final response head was parsed (the body or the tunnel follows it). */
    boolean headParsed() {
        return this == RESPONSE_BODY || this == TUNNEL;
    }
}
