package dev.synedge.loadtest.cli;

import dev.synedge.loadtest.generator.LoadGenerator;
import dev.synedge.loadtest.generator.LoadResult;
import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.generator.Mode;
import dev.synedge.loadtest.generator.PhaseListener;
import dev.synedge.loadtest.http.RequestSpec;
import dev.synedge.loadtest.proc.ProcessTree;
import dev.synedge.loadtest.proc.ProcessUsage;
import dev.synedge.loadtest.report.JsonReport;
import dev.synedge.loadtest.runner.RunRecord;
import dev.synedge.loadtest.runner.TargetUsage;
import dev.synedge.loadtest.scenario.Scenario;
import dev.synedge.loadtest.scenario.ScenarioException;
import dev.synedge.loadtest.scenario.ScenarioLoader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code loadgen}: one run against one URL, printed like wrk prints. */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Loads one URL and prints throughput, latency percentiles, errors by kind, and CPU.",
            "",
            "Examples:",
            "  bin/synedge loadgen -c 50 -d 10s http://127.0.0.1:9000/hello",
            "  bin/synedge loadgen --rate 20000 -d 10s http://127.0.0.1:8002/hello",
            "  bin/synedge loadgen --close --fastopen -c 4 -d 5s http://127.0.0.1:9000/hello",
            "  bin/synedge loadgen --scenario loadtest/scenarios/keepalive-64k.conf http://127.0.0.1:8001"})
public final class LoadgenCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "http://host:port[/path]; the path is the request "
            + "unless --path or --scenario give others.")
    private URI url;

    @Option(names = "--scenario", paramLabel = "FILE", description = "Take load and requests from a scenario file; "
            + "options given here override it.")
    private Path scenarioFile;

    @Option(names = "--path", paramLabel = "PATH", description = "Request path (repeat for an even mix).")
    private List<String> paths = new ArrayList<>();

    @Option(names = {"-c", "--connections"}, description = "Connections (closed loop), the initial pool (open loop), "
            + "or how many (idle). Default 10.")
    private Integer connections;

    @Option(names = {"-d", "--duration"}, converter = Durations.class, description = "Measuring time (default 10s).")
    private Duration duration;

    @Option(names = {"-n", "--requests"}, description = "Measured requests instead of a duration.")
    private Long requests;

    @Option(names = "--warmup", converter = Durations.class, description = "Warm-up before measuring (default 0s).")
    private Duration warmup;

    @Option(names = "--rate", description = "Open loop: requests per second.")
    private Double rate;

    @Option(names = "--max-connections", description = "Open loop: pool limit (default 10000).")
    private Integer maxConnections;

    @Option(names = "--pipeline", description = "Closed loop: requests in flight per connection (default 1).")
    private Integer pipeline;

    @Option(names = "--close", description = "A new connection per request (Connection: close).")
    private Boolean close;

    @Option(names = "--fastopen", description = "New connections use TCP_FASTOPEN_CONNECT.")
    private Boolean fastOpen;

    @Option(names = "--idle", description = "Idle mode: open -c connections, one request each, keep them open.")
    private Boolean idle;

    @Option(names = {"-t", "--threads"}, description = "Event loop threads (default 1).")
    private Integer threads;

    @Option(names = "--timeout", converter = Durations.class, description = "Request timeout (default 10s).")
    private Duration timeout;

    @Option(names = "--no-verify", description = "Do not check X-Body-Checksum.")
    private boolean noVerify;

    @Option(names = "--pid", description = "Also report this process's (and its children's) CPU and memory.")
    private Long pid;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the run as JSON.")
    private Path json;

    @Override
    public Integer call() throws IOException {
        Scenario base;
        LoadSpec spec;
        List<RequestSpec> mix;
        URI target;
        try {
            base = scenarioFile != null ? ScenarioLoader.load(scenarioFile) : null;
            target = URI.create(url.getScheme() + "://" + url.getAuthority());
            spec = spec(base);
            mix = mix(base);
        } catch (ScenarioException | IllegalArgumentException e) {
            System.err.println("synedge loadgen: " + e.getMessage());
            return 2;
        }
        System.out.println("synedge loadgen: " + target + "  " + spec.describe() + "  ("
                + mix.stream().map(RequestSpec::label).distinct().collect(Collectors.joining(", ")) + ")");
        Sampler sampler = new Sampler(pid);
        LoadResult result;
        try {
            result = LoadGenerator.run(target, spec, mix, sampler);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("synedge loadgen: " + e.getMessage());
            return 2;
        }
        print(result, sampler.usage());
        if (json != null) {
            Files.writeString(json, JsonReport.renderRun(new RunRecord(base != null ? base.name() : "loadgen",
                    target.toString(), 1, result, sampler.usage(), null)));
        }
        return result.errorCount() > 0 ? 1 : 0;
    }

    private LoadSpec spec(Scenario base) {
        LoadSpec.Builder b = base != null ? base.load().toBuilder()
                : LoadSpec.builder().connections(10).warmup(Duration.ZERO);
        if (rate != null) {
            b.mode(Mode.OPEN).rate(rate);
        }
        if (Boolean.TRUE.equals(idle)) {
            b.mode(Mode.IDLE);
        }
        if (connections != null) {
            b.connections(connections);
        }
        if (duration != null) {
            b.duration(duration);
        }
        if (requests != null) {
            b.requests(requests);
        }
        if (warmup != null) {
            b.warmup(warmup);
        }
        if (maxConnections != null) {
            b.maxConnections(maxConnections);
        }
        if (pipeline != null) {
            b.pipeline(pipeline);
        }
        if (close != null) {
            b.connectionPerRequest(close);
        }
        if (fastOpen != null) {
            b.fastOpen(fastOpen);
        }
        if (threads != null) {
            b.threads(threads);
        }
        if (timeout != null) {
            b.timeout(timeout);
        }
        if (noVerify) {
            b.verifyChecksum(false);
        }
        return b.build();
    }

    private List<RequestSpec> mix(Scenario base) {
        if (!paths.isEmpty()) {
            return paths.stream().map(RequestSpec::get).toList();
        }
        if (base != null) {
            return base.requests();
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/hello" : url.getRawPath();
        return List.of(RequestSpec.get(url.getRawQuery() == null ? path : path + "?" + url.getRawQuery()));
    }

    private static void print(LoadResult r, TargetUsage usage) {
        LoadSpec spec = r.spec();
        if (spec.mode() == Mode.IDLE) {
            System.out.printf(Locale.ROOT, "  connections %d answered and kept open, %d closed by the server%n",
                    r.requests(), r.serverCloses());
        } else {
            System.out.printf(Locale.ROOT, "  requests    %d in %.2f s = %.0f req/s, %.1f MB/s of body%n", r.requests(),
                    r.seconds(), r.requestsPerSecond(), r.bytesPerSecond() / 1e6);
            System.out.println("  latency     " + percentiles(r.latency()));
            System.out.println("  ttfb        " + percentiles(r.ttfb()));
        }
        if (r.connect().getTotalCount() > 0) {
            System.out.println("  connect     " + percentiles(r.connect()) + "  (" + r.connectionsOpened() + " opened)");
        }
        System.out.println("  errors      " + (r.errors().isEmpty() ? "none" : r.errors().entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", "))));
        if (r.fastOpenConnections() > 0) {
            System.out.printf(Locale.ROOT, "  fast open   %d of %d connections had their SYN data acknowledged%s%n",
                    r.synDataConnections(), r.fastOpenConnections(), r.fastOpenFailures().isEmpty() ? ""
                            : "; others: " + r.fastOpenFailures().entrySet().stream()
                                    .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                                    .collect(Collectors.joining(", ")));
        }
        if (spec.mode() == Mode.OPEN) {
            System.out.printf(Locale.ROOT, "  schedule    %d requests handed to a connection over 1 ms late; start lag %s%n",
                    r.lateStarts(), percentiles(r.startLag()));
        }
        System.out.printf(Locale.ROOT, "  generator   CPU %.2f s = %.0f %% of one core%n", r.generatorCpuNanos() / 1e9,
                100 * r.generatorCpuNanos() / 1e9 / r.seconds());
        if (usage != null) {
            System.out.printf(Locale.ROOT, "  target      CPU %.2f s = %.0f %% of one core; RSS %.1f -> %.1f MiB (peak %.1f) "
                    + "over %d processes%n", usage.cpuSeconds(), 100 * usage.cpuSeconds() / r.seconds(),
                    usage.rssStart() / 1048576.0, usage.rssEnd() / 1048576.0, usage.rssPeak() / 1048576.0,
                    usage.processes());
        }
    }

    private static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms",
                LoadResult.millis(h, 50), LoadResult.millis(h, 90), LoadResult.millis(h, 99),
                LoadResult.millis(h, 99.9), h.getMaxValue() / 1000.0);
    }

    /** Samples {@code --pid} at the start and end of measuring. */
    private static final class Sampler implements PhaseListener {
        private final Long pid;
        private Optional<ProcessUsage> start = Optional.empty();
        private Optional<ProcessUsage> end = Optional.empty();

        Sampler(Long pid) {
            this.pid = pid;
        }

        @Override
        public void measureStarted() {
            start = pid == null ? Optional.empty() : ProcessTree.sample(pid);
        }

        @Override
        public void measureEnded() {
            end = pid == null ? Optional.empty() : ProcessTree.sample(pid);
        }

        TargetUsage usage() {
            if (start.isEmpty() || end.isEmpty()) {
                return null;
            }
            return new TargetUsage((end.get().cpuNanos() - start.get().cpuNanos()) / 1e9, start.get().rssBytes(),
                    end.get().rssBytes(), Math.max(start.get().rssBytes(), end.get().rssBytes()), end.get().processes());
        }
    }
}
