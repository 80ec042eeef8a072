package dev.synedge.exchange;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.accesslog.UpstreamConnection;

/**
 * Counts of ended exchanges on one event loop. Written by its loop only; read elsewhere
 * through {@link #snapshot()} run on that loop (or after it stopped).
 */
public final class ExchangeCounters {

    private long exchanges;
    private long clientSynData;
    private long upstreamNew;
    private long upstreamReused;
    private long upstreamSynData;
    private long retries;
    private final long[] byStatusClass = new long[6];

    void add(AccessRecord record) {
        add(record.status(), record.clientSynData(), record.upstreamConnection(), record.upstreamSynData(),
                record.retries());
    }

    void add(int status, SynData clientSyn, UpstreamConnection connection, SynData upstreamSyn, int retried) {
        exchanges++;
        if (clientSyn == SynData.YES) {
            clientSynData++;
        }
        if (connection == UpstreamConnection.NEW) {
            upstreamNew++;
        } else if (connection == UpstreamConnection.REUSED) {
            upstreamReused++;
        }
        if (upstreamSyn == SynData.YES) {
            upstreamSynData++;
        }
        retries += retried;
        byStatusClass[Math.min(5, Math.max(0, status / 100))]++;
    }

    public Snapshot snapshot() {
        return new Snapshot(exchanges, clientSynData, upstreamNew, upstreamReused, upstreamSynData, retries,
                byStatusClass[2], byStatusClass[4], byStatusClass[5]);
    }

    /** Totals at one moment; {@link #plus} merges loops. */
    public record Snapshot(long exchanges, long clientSynData, long upstreamNew, long upstreamReused,
                           long upstreamSynData, long retries, long status2xx, long status4xx, long status5xx) {

        public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0, 0, 0, 0, 0);

        public Snapshot plus(Snapshot o) {
            return new Snapshot(exchanges + o.exchanges, clientSynData + o.clientSynData,
                    upstreamNew + o.upstreamNew, upstreamReused + o.upstreamReused,
                    upstreamSynData + o.upstreamSynData, retries + o.retries, status2xx + o.status2xx,
                    status4xx + o.status4xx, status5xx + o.status5xx);
        }
    }
}
