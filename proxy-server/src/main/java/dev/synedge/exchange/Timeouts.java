package dev.synedge.exchange;

/**
 * What an exchange's timer means when it fires: a pure function of the exchange's state and
 * the time, so that every rule is tested without sockets. The exchange sets its one timer as
 * its phase changes (the cluster's connect timeout for a new connection, its response-head
 * timeout once the request is written, its idle timeout once response bytes come); when the
 * timer fires, {@link #check} says which deadline passed, or when to look again: a firing only
 * means "look", since moving a deadline on every read would cost a timer update per read.
 */
final class Timeouts {

    private Timeouts() {}

    /** What the timer found. */
    sealed interface Verdict permits Wait, WatchRequestBody, Expired {}

    /** No deadline passed: look again in {@code nanos}. */
    record Wait(long nanos) implements Verdict {}

    /**
     * The request body is still going up and the upstream took bytes since the last look, or
     * none are waiting for it (the client is slow, which its connection's timer watches): look
     * again after the idle timeout, counting progress from now.
     */
    enum WatchRequestBody implements Verdict { INSTANCE }

    /** A deadline passed. */
    record Expired(Expiry what) implements Verdict {}

    /** Which deadline passed. */
    enum Expiry {
        /** No connection came free for an exchange waiting in its cluster's queue. */
        QUEUE,
        /** A new connection's handshake took longer than the connect timeout. */
        CONNECT,
        /** The upstream took none of the request body for the idle timeout. */
        REQUEST_BODY,
        /** The request was written but no response byte came within the response-head timeout. */
        RESPONSE_HEAD,
        /** The upstream fell silent mid-response for the idle timeout. */
        UPSTREAM_IDLE,
        /** The client took no response bytes for its listener's idle timeout. */
        CLIENT_IDLE
    }

    /**
     * The exchange as its timer sees it.
     *
     * @param phase                where the exchange is; one that holds a timer
     * @param requestSent          the whole request was written upstream
     * @param requestWaiting       request bytes are queued for the upstream
     * @param requestProgressed    the upstream took request bytes since the last look
     * @param clientBlocked        the client takes no more response bytes: its channel is
     *                             unwritable, or the zero-copy window is full of pages it has not
     *                             taken yet
     * @param clientBlockedSince   when it stopped taking them (nanoTime)
     * @param lastUpstreamActivity when response bytes last came (nanoTime)
     */
    record State(Phase phase, boolean requestSent, boolean requestWaiting, boolean requestProgressed,
                 boolean clientBlocked, long clientBlockedSince, long lastUpstreamActivity) {}

    /**
     * The verdict at {@code now}, with the cluster's idle timeout {@code upstreamIdle} and the
     * listener's {@code clientIdle} (nanoseconds). Routing, tunnels and ended exchanges hold no
     * timer.
     */
    static Verdict check(State s, long upstreamIdle, long clientIdle, long now) {
        switch (s.phase()) {
            case RESPONSE_HEAD, RESPONSE_BODY -> {
                if (s.clientBlocked()) {
                    // Waiting for the client is no upstream silence; the client has its own limit.
                    long deadline = s.clientBlockedSince() + clientIdle;
                    return now - deadline < 0 ? new Wait(Math.min(upstreamIdle, deadline - now))
                            : new Expired(Expiry.CLIENT_IDLE);
                }
                long deadline = s.lastUpstreamActivity() + upstreamIdle;
                return now - deadline < 0 ? new Wait(deadline - now) : new Expired(Expiry.UPSTREAM_IDLE);
            }
            case AWAITING_RESPONSE -> {
                if (s.requestSent()) {
                    return new Expired(Expiry.RESPONSE_HEAD);
                }
                return !s.requestWaiting() || s.requestProgressed() ? WatchRequestBody.INSTANCE
                        : new Expired(Expiry.REQUEST_BODY);
            }
            case QUEUED -> {
                return new Expired(Expiry.QUEUE);
            }
            case CONNECTING -> {
                // Even a SYN that carried the request (Fast Open, replay-safe requests only) is a
                // connect that failed while no SYN-ACK came: the retry policy says what follows.
                return new Expired(Expiry.CONNECT);
            }
            default -> throw new IllegalArgumentException("no timer in phase " + s.phase());
        }
    }
}
