package dev.synedge.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Passive outlier detection of a cluster ({@code clusters.<name>.outlier-detection}): an
 * endpoint that keeps failing is ejected, gets no new exchanges for a while, then is tried
 * again by one exchange.
 *
 * @param consecutiveFailures connect failures, resets and timeouts in a row that eject; 0 = off
 * @param consecutiveErrors   responses with a status in {@code errorStatuses} in a row that eject; 0 = off
 * @param errorStatuses       statuses that count as the endpoint failing
 * @param ejection            the first ejection; each that follows a failed probe lasts twice as long
 * @param maxEjection         the longest ejection
 * @param maxEjectedPercent   at most this share of the cluster's endpoints ejected at once
 *                            (at least one, never all)
 */
public record OutlierConfig(int consecutiveFailures, int consecutiveErrors, Set<Integer> errorStatuses,
                            Duration ejection, Duration maxEjection, int maxEjectedPercent) {

    public OutlierConfig {
        errorStatuses = Set.copyOf(errorStatuses);
        Objects.requireNonNull(ejection, "ejection");
        Objects.requireNonNull(maxEjection, "maxEjection");
    }
}
