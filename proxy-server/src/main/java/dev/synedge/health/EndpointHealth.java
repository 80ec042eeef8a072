package dev.synedge.health;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What is known of one endpoint's health: its run of failures, whether it is ejected and until
 * when, and what the active checks say. Shared by all event loops; written without locks (an
 * immutable {@link Outliers} swapped by CAS, only when something changes).
 */
final class EndpointHealth {

    /**
     * Passive outlier state: failures and error responses in a row, ejections in a row (which
     * set the length of the next), until when the endpoint is ejected (0: it is not), and
     * whether an exchange probes it now that the ejection ran out (since when).
     */
    record Outliers(int failures, int errors, int ejections, long ejectedUntil, long probingSince) {
        static final Outliers CLEAR = new Outliers(0, 0, 0, 0, 0);

        boolean ejected() {
            return ejectedUntil != 0;
        }
    }

    final String name;
    final AtomicReference<Outliers> outliers = new AtomicReference<>(Outliers.CLEAR);
    /** Ejections since synedge started (across reloads that keep the endpoint), for metrics. */
    final AtomicLong ejectionsTotal = new AtomicLong();
    /** What the active checks say; true until they say otherwise, and when there are none. */
    volatile boolean healthy = true;
    /** The checker's run of passes and failures (written by its one thread only). */
    int passes;
    int fails;

    EndpointHealth(String name) {
        this.name = name;
    }
}
