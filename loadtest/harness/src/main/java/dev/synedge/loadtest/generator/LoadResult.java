package dev.synedge.loadtest.generator;

import dev.synedge.net.TcpInfo.FastOpenClientFail;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one run measured. Counts cover requests that started in the measuring window (after
 * warm-up); in open loop a request's start is its intended send time. Histograms hold
 * microseconds and must not be changed.
 *
 * @param spec                 the load that was applied
 * @param target               the base URL
 * @param measured             from the start of measuring to the end of the last measured request
 * @param requests             measured requests answered correctly
 * @param bodyBytes            response body bytes of those requests
 * @param errors               failed measured requests by kind (only kinds that occurred)
 * @param latency              start to last response byte
 * @param ttfb                 start to first response byte
 * @param connect              connect() to established, for connections opened while measuring
 * @param startLag             open loop: intended send time to hand-over to a connection
 * @param lateStarts           open loop: requests handed to a connection more than 1 ms late
 * @param warmupRequests       requests completed during warm-up (not in the figures)
 * @param connectionsOpened    connections opened while measuring
 * @param serverCloses         keep-alive connections the server closed (closed loop replaces them)
 * @param fastOpenConnections  connections opened with {@code TCP_FASTOPEN_CONNECT} whose first
 *                             response completed (the ones whose SYN data outcome is known)
 * @param synDataConnections   of those, connections whose SYN data the server acknowledged
 *                             ({@code TCP_INFO} {@code TCPI_OPT_SYN_DATA} on our side)
 * @param fastOpenFailures     {@code tcpi_fastopen_client_fail} of the others, by reason
 * @param generatorCpuNanos    CPU time of the generator's JVM while measuring (all threads)
 * @param idleConnectionFailures connections that failed while carrying no request
 */
public record LoadResult(LoadSpec spec, URI target, Duration measured, long requests, long bodyBytes,
        Map<ErrorKind, Long> errors, Histogram latency, Histogram ttfb, Histogram connect, Histogram startLag,
        long lateStarts, long warmupRequests, long connectionsOpened, long serverCloses, long fastOpenConnections,
        long synDataConnections, Map<FastOpenClientFail, Long> fastOpenFailures, long generatorCpuNanos,
        long idleConnectionFailures) {

    public LoadResult {
        errors = Map.copyOf(errors);
        fastOpenFailures = Map.copyOf(fastOpenFailures);
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    public double seconds() {
        return measured.toNanos() / 1e9;
    }

    public double requestsPerSecond() {
        return seconds() > 0 ? requests / seconds() : 0;
    }

    public double bytesPerSecond() {
        return seconds() > 0 ? bodyBytes / seconds() : 0;
    }

    /** Share of Fast Open connections whose SYN carried acknowledged data, 0 to 1. */
    public double synDataShare() {
        return fastOpenConnections == 0 ? 0 : (double) synDataConnections / fastOpenConnections;
    }

    /** A latency percentile in milliseconds. */
    public static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
