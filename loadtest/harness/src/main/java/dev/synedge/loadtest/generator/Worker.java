package dev.synedge.loadtest.generator;

import dev.synedge.loadtest.http.ReadBuffer;
import dev.synedge.loadtest.http.RequestTemplate;
import dev.synedge.net.NativeException;
import dev.synedge.net.TcpInfo.FastOpenClientFail;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The share of a run that one event loop carries: its connections, its part of the open-loop
 * schedule, its counters. Every method runs on that loop's thread; the coordinator reads
 * {@link #stats()} only after {@link #done()} completed.
 *
 * <p>Each request is claimed exactly once ({@link #claim}) and ends exactly once, in
 * {@link #responseDone} or {@link #requestFailed}; a request counts in the figures when its
 * start (in open loop: its intended send time) lies in the measuring window.
 */
final class Worker {

    /** The shared, immutable plan of a run. */
    record Plan(InetSocketAddress address, LoadSpec load, RequestTemplate[] mix, long startNanos, long measureStart,
            long measureEnd) {}

    private static final long SWEEP_MILLIS = 20;
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long a connection that announced its close may take to send its FIN. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RETRY_MILLIS = 10;

    private final int index;
    private final IoEventLoop loop;
    private final Plan plan;
    private final LoadSpec load;
    private final ReadBuffer readBuffer;
    private final WorkerStats stats = new WorkerStats();
    private final ArrayList<HttpConnection> connections = new ArrayList<>();
    private final ArrayDeque<HttpConnection> idle = new ArrayDeque<>();
    private final PendingQueue backlog = new PendingQueue();
    private final int share;
    private final int maxConnections;
    private final int connectShare;
    private final long quota;
    private final long timeoutNanos;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Runnable tickTask = this::tick;
    private final Runnable startSlotTask = this::startSlot;
    private final Runnable startPerRequestTask = this::startPerRequest;
    private final Runnable openMoreIdleTask = this::openMoreIdle;

    private ErrorKind lastOpenError = ErrorKind.CONNECT_FAILED;
    private long measuredStarted;
    private int inFlight;
    private int mixCursor;
    private boolean stopping;
    private boolean finished;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> sweeper;
    private ScheduledFuture<?> stopper;

    // open loop
    private final double intervalNanos;
    private final long scheduleOrigin;
    private long scheduleIndex;
    private long nextIntended;

    // idle mode
    private int idleOpened;
    private int idleConnecting;

    /**
     * @param index   this worker's number, 0 to workers - 1
     * @param workers how many workers share the run
     */
    Worker(int index, int workers, IoEventLoop loop, Plan plan, ReadBuffer readBuffer) {
        this.index = index;
        this.loop = loop;
        this.plan = plan;
        this.load = plan.load();
        this.readBuffer = readBuffer;
        this.share = split(load.connections(), workers, index);
        this.maxConnections = Math.max(share, split(load.maxConnections(), workers, index));
        this.connectShare = Math.max(1, split(load.connectConcurrency(), workers, index));
        this.quota = load.requests() == 0 ? 0 : split(load.requests(), workers, index);
        this.timeoutNanos = load.timeout().toNanos();
        this.mixCursor = (int) ((long) plan.mix().length * index / workers);
        double ratePerWorker = load.rate() / workers;
        this.intervalNanos = ratePerWorker > 0 ? 1e9 / ratePerWorker : 0;
        // Stagger the workers' schedules so their sends interleave evenly.
        this.scheduleOrigin = plan.startNanos() + (ratePerWorker > 0 ? (long) (intervalNanos * index / workers) : 0);
    }

    /** Part {@code index} of {@code total} split over {@code parts}, the first ones taking the remainder. */
    static int split(long total, int parts, int index) {
        long base = total / parts;
        return (int) Math.min(Integer.MAX_VALUE, base + (index < total % parts ? 1 : 0));
    }

    IoEventLoop loop() {
        return loop;
    }

    ReadBuffer readBuffer() {
        return readBuffer;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    WorkerStats stats() {
        return stats;
    }

    /** Runs on the loop: opens the first connections and starts the schedule. */
    void start() {
        sweeper = loop.scheduleAtFixedRate(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        if (plan.measureEnd() != Long.MAX_VALUE) {
            stopper = loop.schedule(this::stop, plan.measureEnd() - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        switch (load.mode()) {
            case CLOSED -> {
                for (int i = 0; i < share && !stopping; i++) {
                    if (load.connectionPerRequest()) {
                        startPerRequest();
                    } else {
                        startSlot();
                    }
                }
            }
            case OPEN -> {
                if (!load.connectionPerRequest()) {
                    for (int i = 0; i < share; i++) {
                        HttpConnection c = openConnection(1);
                        if (c != null) {
                            idle.addLast(c);
                        }
                    }
                }
                nextIntended = scheduleOrigin;
                tick();
            }
            case IDLE -> openMoreIdle();
        }
        checkDone();
    }

    // ---- issuing

    /**
     * Claims a request that starts at {@code start}: -1 when no more may start (the run is
     * stopping), 1 when it is measured, 0 when it belongs to the warm-up.
     */
    private int claim(long start) {
        if (stopping) {
            return -1;
        }
        if (start >= plan.measureEnd()) {
            stop();
            return -1;
        }
        boolean isMeasured = start >= plan.measureStart();
        if (isMeasured) {
            if (quota > 0 && measuredStarted >= quota) {
                stop();
                return -1;
            }
            measuredStarted++;
        }
        inFlight++;
        return isMeasured ? 1 : 0;
    }

    private RequestTemplate nextTemplate() {
        RequestTemplate t = plan.mix()[mixCursor];
        mixCursor = mixCursor + 1 == plan.mix().length ? 0 : mixCursor + 1;
        return t;
    }

    private HttpConnection openConnection(int capacity) {
        long now = System.nanoTime();
        HttpConnection c;
        try {
            c = HttpConnection.open(this, loop, plan.address(), load.fastOpen(), capacity, load.verifyChecksum());
        } catch (NativeException e) {
            lastOpenError = ErrorKind.of(e, true);
            return null;
        }
        if (now >= plan.measureStart() && now < plan.measureEnd()) {
            stats.connectionsOpened++;
        }
        c.slot = connections.size();
        connections.add(c);
        return c;
    }

    /** Closed loop, keep-alive: one connection carrying {@code pipeline} requests at a time. */
    private void startSlot() {
        if (stopping) {
            return;
        }
        HttpConnection c = openConnection(load.pipeline());
        if (c == null) {
            long now = System.nanoTime();
            int claim = claim(now);
            if (claim >= 0) {
                requestFailed(null, now, claim == 1, lastOpenError);
            }
            if (!stopping) {
                loop.schedule(startSlotTask, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        for (int i = 0; i < load.pipeline() && !c.isClosed(); i++) {
            if (!sendNext(c)) {
                break;
            }
        }
        if (c.inFlight() == 0 && !c.isClosed()) {
            retire(c);
        }
    }

    private boolean sendNext(HttpConnection c) {
        long now = System.nanoTime();
        int claim = claim(now);
        if (claim < 0) {
            return false;
        }
        c.send(nextTemplate(), now, claim == 1);
        return true;
    }

    /** Closed loop, connection per request: a new connection for the next request. */
    private void startPerRequest() {
        long now = System.nanoTime();
        int claim = claim(now);
        if (claim < 0) {
            return;
        }
        sendOnNewConnection(now, claim == 1);
    }

    private void sendOnNewConnection(long start, boolean isMeasured) {
        HttpConnection c = openConnection(1);
        if (c == null) {
            requestFailed(null, start, isMeasured, lastOpenError);
            return;
        }
        dispatch(c, start, isMeasured);
    }

    /** Hands a claimed request to a connection, noting how late that is against its start. */
    private void dispatch(HttpConnection c, long start, boolean isMeasured) {
        if (load.mode() == Mode.OPEN && isMeasured) {
            long lag = System.nanoTime() - start;
            WorkerStats.record(stats.startLag, lag);
            if (lag > LATE_NANOS) {
                stats.lateStarts++;
            }
        }
        c.send(nextTemplate(), start, isMeasured);
    }

    /** Open loop: issues every request whose intended time has come, then sleeps until the next. */
    private void tick() {
        long now = System.nanoTime();
        while (nextIntended <= now) {
            int claim = claim(nextIntended);
            if (claim < 0) {
                return;
            }
            due(nextIntended, claim == 1);
            scheduleIndex++;
            nextIntended = scheduleOrigin + (long) (scheduleIndex * intervalNanos);
        }
        tick = loop.schedule(tickTask, nextIntended - now, TimeUnit.NANOSECONDS);
    }

    private void due(long intended, boolean isMeasured) {
        if (load.connectionPerRequest()) {
            if (connections.size() < maxConnections) {
                sendOnNewConnection(intended, isMeasured);
            } else {
                backlog.add(intended, isMeasured);
            }
            return;
        }
        HttpConnection c = idle.pollLast();
        if (c != null) {
            dispatch(c, intended, isMeasured);
        } else if (connections.size() < maxConnections) {
            sendOnNewConnection(intended, isMeasured);
        } else {
            backlog.add(intended, isMeasured);
        }
    }

    /** Open loop: gives waiting requests to free capacity. */
    private void drainBacklog(HttpConnection freed) {
        if (freed != null && !backlog.isEmpty()) {
            long start = backlog.peekStart();
            boolean isMeasured = backlog.peekMeasured();
            backlog.remove();
            dispatch(freed, start, isMeasured);
            return;
        }
        while (!backlog.isEmpty() && connections.size() < maxConnections) {
            long start = backlog.peekStart();
            boolean isMeasured = backlog.peekMeasured();
            backlog.remove();
            sendOnNewConnection(start, isMeasured);
        }
    }

    /** Idle mode: opens connections (each with one request) up to the connect concurrency. */
    private void openMoreIdle() {
        while (!stopping && idleOpened < share && idleConnecting < connectShare) {
            idleOpened++;
            idleConnecting++;
            long now = System.nanoTime();
            int claim = claim(now);
            if (claim < 0) {
                idleConnecting--;
                return;
            }
            sendOnNewConnection(now, claim == 1);
        }
        checkDone();
    }

    // ---- outcomes, called by connections

    void connectionEstablished(HttpConnection c, long now) {
        if (now >= plan.measureStart() && now < plan.measureEnd()) {
            WorkerStats.record(stats.connect, now - c.openedNanos());
        }
    }

    void fastOpenOutcome(boolean synData, FastOpenClientFail reason, boolean isMeasured) {
        if (!isMeasured) {
            return;
        }
        stats.fastOpenConnections++;
        if (synData) {
            stats.synDataConnections++;
        } else {
            stats.fastOpenFailures[reason.ordinal()]++;
        }
    }

    void responseDone(HttpConnection c, RequestTemplate template, long start, long firstByte, long end,
            boolean isMeasured, ErrorKind error, long bodyBytes) {
        inFlight--;
        if (isMeasured) {
            stats.lastMeasuredEnd = Math.max(stats.lastMeasuredEnd, end);
            if (error == null) {
                stats.requests++;
                stats.bodyBytes += bodyBytes;
                WorkerStats.record(stats.latency, end - start);
                WorkerStats.record(stats.ttfb, firstByte - start);
            } else {
                stats.errors[error.ordinal()]++;
            }
        } else {
            stats.warmupRequests++;
        }
        switch (load.mode()) {
            case CLOSED -> {
                if (load.connectionPerRequest()) {
                    startPerRequest();
                } else if (c.reusable() && !sendNext(c) && c.inFlight() == 0) {
                    retire(c);
                }
            }
            case OPEN -> {
                if (!load.connectionPerRequest() && c.reusable() && c.inFlight() == 0) {
                    if (!backlog.isEmpty()) {
                        drainBacklog(c);
                    } else if (stopping) {
                        retire(c);
                    } else {
                        idle.addLast(c);
                    }
                }
            }
            case IDLE -> {
                idleConnecting--;
                if (error != null) {
                    retire(c);
                }
                openMoreIdle();
            }
        }
        checkDone();
    }

    /** A request ended without a correct response; {@code template} is null when it was never sent. */
    void requestFailed(RequestTemplate template, long start, boolean isMeasured, ErrorKind kind) {
        inFlight--;
        if (isMeasured) {
            stats.errors[kind.ordinal()]++;
            stats.lastMeasuredEnd = Math.max(stats.lastMeasuredEnd, System.nanoTime());
        }
        if (load.mode() == Mode.CLOSED && load.connectionPerRequest()) {
            retry(kind, startPerRequestTask);
        } else if (load.mode() == Mode.IDLE) {
            idleConnecting--;
            retry(kind, openMoreIdleTask);
        }
        checkDone();
    }

    /** A connection failed while it carried no request (a pooled one that never connected, say). */
    void idleConnectionFailed() {
        stats.idleConnectionFailures++;
    }

    /** {@code c} closed: gracefully by the server when {@code kind} is null, else after a failure. */
    void connectionClosed(HttpConnection c, ErrorKind kind) {
        remove(c);
        if (kind == null && !load.connectionPerRequest()) {
            stats.serverCloses++;
        }
        if (load.mode() == Mode.CLOSED && !load.connectionPerRequest() && !stopping) {
            retry(kind, startSlotTask);
        } else if (load.mode() == Mode.OPEN) {
            drainBacklog(null);
        }
        checkDone();
    }

    /** Runs {@code task} soon: after a pause when the failure was about connecting. */
    private void retry(ErrorKind kind, Runnable task) {
        if (stopping || finished) {
            return;
        }
        if (kind == ErrorKind.CONNECT_REFUSED || kind == ErrorKind.CONNECT_FAILED || kind == ErrorKind.LOCAL_LIMIT) {
            loop.schedule(task, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            loop.execute(task);
        }
    }

    // ---- connection bookkeeping

    private void remove(HttpConnection c) {
        int at = c.slot;
        if (at < 0) {
            return;
        }
        HttpConnection last = connections.removeLast();
        if (last != c) {
            connections.set(at, last);
            last.slot = at;
        }
        c.slot = -1;
        if (load.mode() == Mode.OPEN) {
            idle.remove(c);
        }
    }

    private void retire(HttpConnection c) {
        c.closeQuietly();
        remove(c);
    }

    /** Stops issuing: the measuring window is over or the request count is reached. */
    void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (tick != null) {
            tick.cancel(false);
        }
        if (stopper != null) {
            stopper.cancel(false);
        }
        HttpConnection c;
        while ((c = idle.pollLast()) != null) {
            retire(c);
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i < connections.size() && connections.get(i).inFlight() == 0) {
                retire(connections.get(i));
            }
        }
        checkDone();
    }

    private void checkDone() {
        if (finished) {
            return;
        }
        boolean complete = load.mode() == Mode.IDLE ? idleOpened >= share && inFlight == 0 : stopping && inFlight == 0;
        if (!complete) {
            return;
        }
        finished = true;
        stopping = true;
        if (load.mode() != Mode.IDLE) {
            closeAll();
        }
        cancelTimers();
        done.complete(null);
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {tick, sweeper, stopper}) {
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** Closes every connection without callbacks (end of run; idle mode after sampling). */
    void closeAll() {
        for (HttpConnection c : connections) {
            c.slot = -1;
            c.closeQuietly();
        }
        connections.clear();
        idle.clear();
    }

    /** Connections open now (idle mode reports how many survived until sampling). */
    int openConnections() {
        return connections.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (i >= connections.size()) {
                continue;
            }
            HttpConnection c = connections.get(i);
            if (c.inFlight() > 0) {
                if (now - c.oldestStart() > timeoutNanos) {
                    c.fail(c.established() ? ErrorKind.TIMEOUT : ErrorKind.CONNECT_FAILED);
                }
            } else if (c.draining()) {
                if (now - c.drainingSince() > DRAIN_NANOS) {
                    c.closeQuietly();
                    connectionClosed(c, null);
                }
            } else if (!c.established() && now - c.openedNanos() > timeoutNanos) {
                c.fail(ErrorKind.CONNECT_FAILED);
            }
        }
        while (!backlog.isEmpty() && now - backlog.peekStart() > timeoutNanos) {
            boolean isMeasured = backlog.peekMeasured();
            long start = backlog.peekStart();
            backlog.remove();
            requestFailed(null, start, isMeasured, ErrorKind.TIMEOUT);
        }
    }

    @Override
    public String toString() {
        return "worker " + index + " (" + connections.size() + " connections, " + inFlight + " in flight)";
    }
}
