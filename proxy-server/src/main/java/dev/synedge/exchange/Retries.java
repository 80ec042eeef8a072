package dev.synedge.exchange;

import dev.synedge.config.RetryConfig;

/**
 * Whether a failed try of a request goes again: a pure function of the failure, the request
 * and the cluster's retry policy, so that every rule is tested without sockets. The replay
 * rules come first: a request is sent again only while it is held whole, and only a
 * replay-safe one if it may have reached the endpoint; one that reached nothing (its
 * connection was refused or never came up, and no SYN carried it, since only replay-safe
 * requests ride in SYN data) may go again whatever its method.
 */
final class Retries {

    private Retries() {}

    /** How a try failed. */
    enum Failure {
        /** The connection was refused or not established in time: nothing reached the endpoint. */
        CONNECT,
        /** The connection closed or was reset once up, before any response byte. */
        RESET,
        /** No response head within the (per-try) response-head timeout. */
        RESPONSE_HEAD_TIMEOUT,
        /** The response head has a status the policy retries. */
        STATUS
    }

    /**
     * Whether the try may go again.
     *
     * @param status     the response status, for {@link Failure#STATUS}
     * @param replaySafe the request may be received twice
     * @param held       the whole request is still held (small enough to have been kept)
     * @param retried    tries after the first made so far
     * @param budget     the event loop's retry budget has room
     */
    static boolean allowed(RetryConfig policy, Failure failure, int status, boolean replaySafe, boolean held,
                           int retried, boolean budget) {
        if (!held || retried >= policy.max() || !budget) {
            return false;
        }
        return switch (failure) {
            case CONNECT -> policy.on().contains(RetryConfig.Condition.CONNECT_FAILURE);
            case RESET -> replaySafe && policy.on().contains(RetryConfig.Condition.RESET);
            case RESPONSE_HEAD_TIMEOUT -> replaySafe && policy.on().contains(RetryConfig.Condition.RESPONSE_HEAD_TIMEOUT);
            case STATUS -> replaySafe && policy.statuses().contains(status);
        };
    }

    /**
     * Whether the retry budget has room: retries in flight on the loop stay below
     * {@code percent} of its exchanges in flight, three being allowed whatever the share.
     */
    static boolean budget(int retriesInFlight, int exchangesInFlight, int percent) {
        return retriesInFlight < Math.max(3, (long) exchangesInFlight * percent / 100);
    }
}
