package dev.synedge.loadtest.generator;

import java.time.Duration;

/**
 * How to load a target: the {@code load} section of a scenario file.
 *
 * @param mode                 closed loop, open loop or idle connections
 * @param connections          closed: concurrent connections (with connection-per-request:
 *                             concurrent requests); open: connections opened up front; idle: how many
 * @param pipeline             closed keep-alive: requests in flight per connection
 * @param connectionPerRequest a new connection for every request ({@code Connection: close})
 * @param fastOpen             new connections use {@code TCP_FASTOPEN_CONNECT}: the request rides
 *                             in the SYN when the kernel holds a cookie for the target
 * @param rate                 open: requests per second
 * @param maxConnections       open: the pool grows on demand up to this many connections
 * @param threads              event loop threads of the generator
 * @param warmup               time before measuring (requests started then are not counted)
 * @param duration             measuring time; zero when {@code requests} bounds the run
 * @param requests             measured requests to issue; 0 when {@code duration} bounds the run
 * @param timeout              a request (or idle-mode connection) fails after this long
 * @param verifyChecksum       check bodies against {@code X-Body-Checksum} when present
 * @param connectConcurrency   idle: connections being set up at once
 * @param settle               idle: wait after the last connection is up, before sampling
 */
public record LoadSpec(Mode mode, int connections, int pipeline, boolean connectionPerRequest, boolean fastOpen,
        double rate, int maxConnections, int threads, Duration warmup, Duration duration, long requests,
        Duration timeout, boolean verifyChecksum, int connectConcurrency, Duration settle) {

    /** Most requests a closed-loop connection may have in flight. */
    public static final int MAX_PIPELINE = 256;

    public LoadSpec {
        require(mode != null, "mode is required");
        require(connections >= 1, "connections must be at least 1, got " + connections);
        require(pipeline >= 1 && pipeline <= MAX_PIPELINE, "pipeline must be 1 to " + MAX_PIPELINE + ", got " + pipeline);
        require(pipeline == 1 || (mode == Mode.CLOSED && !connectionPerRequest),
                "pipeline > 1 needs closed loop on keep-alive connections");
        require(threads >= 1 && threads <= 64, "threads must be 1 to 64, got " + threads);
        require(mode != Mode.OPEN || rate > 0, "open loop needs a rate above 0");
        require(mode != Mode.OPEN || maxConnections >= connections,
                "max-connections (" + maxConnections + ") must be at least connections (" + connections + ")");
        require(mode != Mode.IDLE || !connectionPerRequest, "idle connections cannot be connection-per-request");
        require(warmup != null && !warmup.isNegative(), "warmup must be 0 or more");
        require(duration != null && !duration.isNegative(), "duration must be 0 or more");
        require(requests >= 0, "requests must be 0 or more");
        require(mode == Mode.IDLE || duration.isZero() != (requests == 0),
                "give exactly one of duration and requests");
        require(timeout != null && timeout.toMillis() >= 1, "timeout must be at least 1ms");
        require(connectConcurrency >= 1, "connect-concurrency must be at least 1");
        require(settle != null && !settle.isNegative(), "settle must be 0 or more");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().mode(mode).connections(connections).pipeline(pipeline)
                .connectionPerRequest(connectionPerRequest).fastOpen(fastOpen).rate(rate)
                .maxConnections(maxConnections).threads(threads).warmup(warmup).timeout(timeout)
                .verifyChecksum(verifyChecksum).connectConcurrency(connectConcurrency).settle(settle);
        // Both as they are: the setters clear each other.
        b.duration = duration;
        b.requests = requests;
        return b;
    }

    /** One line for logs and report headings, e.g. {@code closed loop, 50 connections, 1 thread}. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        switch (mode) {
            case CLOSED -> s.append("closed loop, ").append(connections)
                    .append(connectionPerRequest ? " concurrent requests" : " connections");
            case OPEN -> s.append("open loop, ").append(Math.round(rate)).append(" req/s, up to ")
                    .append(maxConnections).append(" connections");
            case IDLE -> s.append(connections).append(" idle connections");
        }
        if (pipeline > 1) {
            s.append(", pipeline ").append(pipeline);
        }
        if (connectionPerRequest) {
            s.append(", connection per request");
        }
        if (fastOpen) {
            s.append(", client TFO");
        }
        s.append(", ").append(threads).append(threads == 1 ? " thread" : " threads");
        return s.toString();
    }

    /** Fills in a LoadSpec; starts from closed loop, 10 connections, 10 s, 1 thread. */
    public static final class Builder {
        private Mode mode = Mode.CLOSED;
        private int connections = 10;
        private int pipeline = 1;
        private boolean connectionPerRequest;
        private boolean fastOpen;
        private double rate;
        private int maxConnections = -1;
        private int threads = 1;
        private Duration warmup = Duration.ZERO;
        private Duration duration = Duration.ofSeconds(10);
        private long requests;
        private Duration timeout = Duration.ofSeconds(10);
        private boolean verifyChecksum = true;
        private int connectConcurrency = 256;
        private Duration settle = Duration.ofSeconds(2);

        public Builder mode(Mode value) {
            mode = value;
            return this;
        }

        public Builder connections(int value) {
            connections = value;
            return this;
        }

        public Builder pipeline(int value) {
            pipeline = value;
            return this;
        }

        public Builder connectionPerRequest(boolean value) {
            connectionPerRequest = value;
            return this;
        }

        public Builder fastOpen(boolean value) {
            fastOpen = value;
            return this;
        }

        public Builder rate(double value) {
            rate = value;
            return this;
        }

        /** Open loop's pool cap; by default 10000 (or {@code connections} if larger). */
        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder threads(int value) {
            threads = value;
            return this;
        }

        public Builder warmup(Duration value) {
            warmup = value;
            return this;
        }

        /** Bounds the run by time (and clears a request count). */
        public Builder duration(Duration value) {
            duration = value;
            requests = 0;
            return this;
        }

        /** Bounds the run by measured requests (and clears the duration). */
        public Builder requests(long value) {
            requests = value;
            duration = Duration.ZERO;
            return this;
        }

        public Builder timeout(Duration value) {
            timeout = value;
            return this;
        }

        public Builder verifyChecksum(boolean value) {
            verifyChecksum = value;
            return this;
        }

        public Builder connectConcurrency(int value) {
            connectConcurrency = value;
            return this;
        }

        public Builder settle(Duration value) {
            settle = value;
            return this;
        }

        public LoadSpec build() {
            int max = maxConnections > 0 ? maxConnections : Math.max(10_000, connections);
            return new LoadSpec(mode, connections, pipeline, connectionPerRequest, fastOpen, rate, max, threads,
                    warmup, duration, requests, timeout, verifyChecksum, connectConcurrency, settle);
        }
    }
}
