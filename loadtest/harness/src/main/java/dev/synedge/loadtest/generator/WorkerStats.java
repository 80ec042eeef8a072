package dev.synedge.loadtest.generator;

import dev.synedge.net.TcpInfo.FastOpenClientFail;
import org.HdrHistogram.Histogram;

/**
 * What one worker measured; touched only by its event loop until the run is done, then merged.
 * Times are in microseconds.
 */
final class WorkerStats {

    /** One hour, in microseconds: nothing a load test waits for is longer. */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    final Histogram latency = newHistogram();
    final Histogram ttfb = newHistogram();
    final Histogram connect = newHistogram();
    final Histogram startLag = newHistogram();
    final long[] errors = new long[ErrorKind.values().length];
    final long[] fastOpenFailures = new long[FastOpenClientFail.values().length];
    long requests;
    long bodyBytes;
    long warmupRequests;
    long connectionsOpened;
    long serverCloses;
    long lateStarts;
    long fastOpenConnections;
    long synDataConnections;
    long idleConnectionFailures;
    /** nanoTime when the last measured request ended, 0 before. */
    long lastMeasuredEnd;

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1000)));
    }

    void add(WorkerStats other) {
        latency.add(other.latency);
        ttfb.add(other.ttfb);
        connect.add(other.connect);
        startLag.add(other.startLag);
        for (int i = 0; i < errors.length; i++) {
            errors[i] += other.errors[i];
        }
        for (int i = 0; i < fastOpenFailures.length; i++) {
            fastOpenFailures[i] += other.fastOpenFailures[i];
        }
        requests += other.requests;
        bodyBytes += other.bodyBytes;
        warmupRequests += other.warmupRequests;
        connectionsOpened += other.connectionsOpened;
        serverCloses += other.serverCloses;
        lateStarts += other.lateStarts;
        fastOpenConnections += other.fastOpenConnections;
        synDataConnections += other.synDataConnections;
        idleConnectionFailures += other.idleConnectionFailures;
        lastMeasuredEnd = lastMeasuredEnd == 0 ? other.lastMeasuredEnd
                : other.lastMeasuredEnd == 0 ? lastMeasuredEnd : Math.max(lastMeasuredEnd, other.lastMeasuredEnd);
    }
}
