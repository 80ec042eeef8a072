package dev.synedge.loadtest.generator;

import dev.synedge.loadtest.http.ReadBuffer;
import dev.synedge.loadtest.http.RequestSpec;
import dev.synedge.loadtest.http.RequestTemplate;
import dev.synedge.loadtest.proc.FileLimits;
import dev.synedge.loadtest.proc.ProcessTree;
import dev.synedge.net.TcpInfo.FastOpenClientFail;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one workload against one base URL and returns what it measured. Each call makes its
 * own event loop group (the spec's thread count) and shuts it down before returning.
 *
 * <pre>{@code
 * LoadResult r = LoadGenerator.run(URI.create("http://127.0.0.1:9000"),
 *         LoadSpec.builder().connections(50).warmup(Duration.ofSeconds(2)).duration(Duration.ofSeconds(10)).build(),
 *         List.of(RequestSpec.get("/hello")), PhaseListener.NONE);
 * }</pre>
 */
public final class LoadGenerator {

    /** Read buffer per event loop: large bodies arrive in a few big reads. */
    private static final int READ_BUFFER = 256 * 1024;
    /** Entries of the shuffled request mix table (weights are scaled to fit). */
    private static final int MIX_TABLE = 1000;
    private static final long FILES_SPARE = 256;

    private LoadGenerator() {}

    public static LoadResult run(URI base, LoadSpec spec, List<RequestSpec> requests, PhaseListener listener) {
        Epoll.ensureAvailability();
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("no requests to send");
        }
        InetSocketAddress address = address(base);
        long files = spec.mode() == Mode.OPEN ? Math.min(spec.maxConnections(), 4096) : spec.connections();
        FileLimits.ensure(files + FILES_SPARE);
        int threads = spec.mode() == Mode.OPEN ? spec.threads() : Math.min(spec.threads(), spec.connections());
        String hostHeader = base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");

        try (Arena arena = Arena.ofShared()) {
            RequestTemplate[] mix = mixTable(arena, requests, hostHeader, spec.connectionPerRequest());
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                    new DefaultThreadFactory("synedge-loadgen", true), EpollIoHandler.newFactory());
            List<ReadBuffer> buffers = new ArrayList<>();
            try {
                return run(group, buffers, base, address, spec, mix, listener);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
                buffers.forEach(ReadBuffer::close);
            }
        }
    }

    private static LoadResult run(MultiThreadIoEventLoopGroup group, List<ReadBuffer> buffers, URI base,
            InetSocketAddress address, LoadSpec spec, RequestTemplate[] mix, PhaseListener listener) {
        long cpuStart = 0;
        boolean warm = !spec.warmup().isZero() && spec.mode() != Mode.IDLE;
        if (!warm) {
            cpuStart = ProcessTree.selfCpuNanos();
            listener.measureStarted();
        }
        long start = System.nanoTime();
        long measureStart = spec.mode() == Mode.IDLE ? start : start + spec.warmup().toNanos();
        long measureEnd = spec.mode() == Mode.IDLE || spec.duration().isZero()
                ? Long.MAX_VALUE : measureStart + spec.duration().toNanos();
        Worker.Plan plan = new Worker.Plan(address, spec, mix, start, measureStart, measureEnd);

        List<IoEventLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add((IoEventLoop) executor);
        }
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            ReadBuffer buffer = new ReadBuffer(READ_BUFFER);
            buffers.add(buffer);
            workers.add(new Worker(i, loops.size(), loops.get(i), plan, buffer));
        }
        for (Worker worker : workers) {
            worker.loop().execute(worker::start);
        }
        if (warm) {
            LockSupport.parkNanos(measureStart - System.nanoTime());
            cpuStart = ProcessTree.selfCpuNanos();
            listener.measureStarted();
        }
        await(CompletableFuture.allOf(workers.stream().map(Worker::done).toArray(CompletableFuture[]::new)));
        if (spec.mode() == Mode.IDLE) {
            LockSupport.parkNanos(spec.settle().toNanos());
        }
        listener.measureEnded();
        long cpuEnd = ProcessTree.selfCpuNanos();
        if (spec.mode() == Mode.IDLE) {
            for (Worker worker : workers) {
                worker.loop().submit(worker::closeAll).syncUninterruptibly();
            }
        }

        WorkerStats total = new WorkerStats();
        for (Worker worker : workers) {
            total.add(worker.stats());
        }
        long end = total.lastMeasuredEnd != 0 ? total.lastMeasuredEnd
                : measureEnd != Long.MAX_VALUE ? measureEnd : System.nanoTime();
        Duration measured = Duration.ofNanos(Math.max(1, end - measureStart));
        Map<ErrorKind, Long> errors = new EnumMap<>(ErrorKind.class);
        for (ErrorKind kind : ErrorKind.values()) {
            if (total.errors[kind.ordinal()] > 0) {
                errors.put(kind, total.errors[kind.ordinal()]);
            }
        }
        Map<FastOpenClientFail, Long> fastOpenFailures = new EnumMap<>(FastOpenClientFail.class);
        for (FastOpenClientFail reason : FastOpenClientFail.values()) {
            if (total.fastOpenFailures[reason.ordinal()] > 0) {
                fastOpenFailures.put(reason, total.fastOpenFailures[reason.ordinal()]);
            }
        }
        return new LoadResult(spec, base, measured, total.requests, total.bodyBytes, errors, total.latency,
                total.ttfb, total.connect, total.startLag, total.lateStarts, total.warmupRequests,
                total.connectionsOpened, total.serverCloses, total.fastOpenConnections, total.synDataConnections,
                fastOpenFailures, Math.max(0, cpuEnd - cpuStart), total.idleConnectionFailures);
    }

    private static void await(CompletableFuture<?> all) {
        try {
            all.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the load ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a load worker failed", e.getCause());
        }
    }

    /** The target's address, resolved once: {@code http://host[:port]} (port 80 by default). */
    static InetSocketAddress address(URI base) {
        if (!"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("target must be an http:// URL with a host, got " + base);
        }
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort() > 0 ? base.getPort() : 80);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + base.getHost());
        }
        return address;
    }

    /**
     * The request mix as a table the workers walk round-robin: each kind appears in proportion
     * to its weight, shuffled with a fixed seed so every run sends the same sequence.
     */
    static RequestTemplate[] mixTable(Arena arena, List<RequestSpec> requests, String hostHeader, boolean close) {
        List<RequestTemplate> templates = new ArrayList<>();
        for (RequestSpec spec : requests) {
            templates.add(RequestTemplate.encode(arena, spec, hostHeader, close));
        }
        if (templates.size() == 1) {
            return new RequestTemplate[] {templates.getFirst()};
        }
        long totalWeight = requests.stream().mapToLong(RequestSpec::weight).sum();
        List<RequestTemplate> table = new ArrayList<>();
        for (int i = 0; i < templates.size(); i++) {
            long entries = Math.max(1, Math.round((double) requests.get(i).weight() * MIX_TABLE / totalWeight));
            if (totalWeight <= MIX_TABLE) {
                entries = requests.get(i).weight();
            }
            for (long k = 0; k < entries; k++) {
                table.add(templates.get(i));
            }
        }
        Collections.shuffle(table, new Random(42));
        return table.toArray(RequestTemplate[]::new);
    }
}
