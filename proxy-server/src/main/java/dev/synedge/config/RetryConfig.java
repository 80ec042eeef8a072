package dev.synedge.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * When a cluster's requests are sent again, on a new connection to another endpoint where
 * there is one ({@code clusters.<name>.retries}). A request is retried only while it is held
 * whole (its body small enough to keep); the replay rules decide the rest: a request that
 * reached no endpoint may go again whatever its method, one that may have reached it only when
 * it is replay-safe.
 *
 * @param max           tries after the first; 0 = none
 * @param on            what failures are retried
 * @param statuses      response statuses retried (replay-safe requests only), e.g. 503
 * @param perTryTimeout response-head timeout of each try; null = the cluster's response-head timeout
 * @param budgetPercent retries in flight at most this share of the exchanges in flight on an
 *                      event loop (three are always allowed), so retries cannot multiply the
 *                      load on a failing cluster
 */
public record RetryConfig(int max, Set<Condition> on, Set<Integer> statuses, Duration perTryTimeout,
                          int budgetPercent) {

    /** Failures a retry may follow. */
    public enum Condition {
        /** The connection was refused or not established in time: nothing reached the endpoint. */
        CONNECT_FAILURE,
        /** The connection was reset or closed after it was up, before any response byte. */
        RESET,
        /** No response head came within the (per-try) response-head timeout. */
        RESPONSE_HEAD_TIMEOUT
    }

    public RetryConfig {
        on = Set.copyOf(on);
        statuses = Set.copyOf(statuses);
        Objects.requireNonNull(on, "on");
    }
}
