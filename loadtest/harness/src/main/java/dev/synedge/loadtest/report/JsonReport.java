package dev.synedge.loadtest.report;

import dev.synedge.loadtest.generator.LoadResult;
import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.runner.Comparison;
import dev.synedge.loadtest.runner.MachineInfo;
import dev.synedge.loadtest.runner.RunRecord;
import dev.synedge.loadtest.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** A comparison as JSON: the setup, every run's figures, and the per-scenario summaries. */
public final class JsonReport {

    private JsonReport() {}

    public static String render(Comparison c, List<Summary.ScenarioSummary> summaries) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "synedge loadtest");
        root.put("started", c.started().toString());
        root.put("finished", c.finished().toString());
        root.put("command", c.command());
        root.put("machine", machine(c.machine()));
        root.put("baseline", c.baseline());
        root.put("rounds", c.rounds());
        root.put("warmup_rounds", c.warmupRounds());
        List<Object> targets = new ArrayList<>();
        for (Comparison.TargetInfo t : c.targets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.target().name());
            m.put("url", t.target().url().toString());
            m.put("version", t.version());
            m.put("watched", t.watched());
            if (t.target().startCommand() != null) {
                m.put("start", t.target().startCommand());
            }
            targets.add(m);
        }
        root.put("targets", targets);
        List<Object> scenarios = new ArrayList<>();
        for (Summary.ScenarioSummary s : summaries) {
            scenarios.add(scenario(c, s));
        }
        root.put("scenarios", scenarios);
        return Json.write(root);
    }

    private static Map<String, Object> machine(MachineInfo m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu", m.cpuModel());
        out.put("cores", m.cores());
        out.put("memory_mib", m.memoryMiB());
        out.put("kernel", m.kernel());
        out.put("jdk", m.jdk());
        out.put("netty", m.netty());
        out.put("tcp_fastopen", m.fastOpen());
        out.put("load_average", m.loadAverage());
        return out;
    }

    private static Map<String, Object> scenario(Comparison c, Summary.ScenarioSummary s) {
        Scenario scenario = s.scenario();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", scenario.name());
        out.put("description", scenario.description());
        out.put("file", scenario.source().toString());
        out.put("load", load(scenario.load()));
        out.put("requests", scenario.requests().stream().map(r -> r.label()).toList());
        out.put("rtt_ms", scenario.rtt().toMillis());
        out.put("rtt_applied", s.rttApplied());
        out.put("fresh_target", scenario.freshTarget());
        out.put("fresh_targets_applied", s.freshTargets());
        out.put("metric", scenario.metric().key());
        out.put("metric_figure", s.metric().key());
        out.put("higher_is_better", scenario.metric().higherIsBetter());
        List<Object> summary = new ArrayList<>();
        for (Summary.TargetSummary t : s.targets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", t.target());
            m.put("metric", stat(t.metric()));
            m.put("ratio", stat(t.ratio()));
            Map<String, Object> figures = new LinkedHashMap<>();
            t.figures().forEach((f, st) -> figures.put(f.key(), stat(st)));
            m.put("figures", figures);
            m.put("failures", t.failures());
            summary.add(m);
        }
        out.put("summary", summary);
        List<Object> runs = new ArrayList<>();
        for (Comparison.TargetInfo t : c.targets()) {
            for (RunRecord r : c.runs(scenario.name(), t.target().name())) {
                runs.add(run(r));
            }
        }
        out.put("runs", runs);
        return out;
    }

    private static Map<String, Object> load(LoadSpec l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("summary", l.describe());
        out.put("mode", l.mode().name().toLowerCase(java.util.Locale.ROOT));
        out.put("connections", l.connections());
        out.put("pipeline", l.pipeline());
        out.put("connection_per_request", l.connectionPerRequest());
        out.put("fast_open", l.fastOpen());
        out.put("rate", l.rate());
        out.put("threads", l.threads());
        out.put("warmup_s", l.warmup().toMillis() / 1000.0);
        out.put("duration_s", l.duration().toMillis() / 1000.0);
        out.put("requests", l.requests());
        return out;
    }

    private static Map<String, Object> stat(Stat s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("median", s.median());
        out.put("min", s.min());
        out.put("max", s.max());
        out.put("n", s.n());
        return out;
    }

    /** One run alone (what {@code loadgen --json} writes). */
    public static String renderRun(RunRecord r) {
        return Json.write(run(r));
    }

    private static Map<String, Object> run(RunRecord r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("target", r.target());
        out.put("round", r.round());
        out.put("ok", r.ok());
        if (!r.ok()) {
            out.put("failure", r.failure());
            return out;
        }
        LoadResult x = r.result();
        out.put("seconds", x.seconds());
        out.put("requests", x.requests());
        out.put("requests_per_s", x.requestsPerSecond());
        out.put("body_bytes", x.bodyBytes());
        out.put("body_bytes_per_s", x.bytesPerSecond());
        Map<String, Object> errors = new LinkedHashMap<>();
        x.errors().forEach((k, v) -> errors.put(k.label(), v));
        out.put("errors", errors);
        out.put("latency_ms", percentiles(x.latency()));
        out.put("ttfb_ms", percentiles(x.ttfb()));
        if (x.connect().getTotalCount() > 0) {
            out.put("connect_ms", percentiles(x.connect()));
        }
        if (x.startLag().getTotalCount() > 0) {
            out.put("start_lag_ms", percentiles(x.startLag()));
            out.put("late_starts", x.lateStarts());
        }
        out.put("warmup_requests", x.warmupRequests());
        out.put("connections_opened", x.connectionsOpened());
        out.put("server_closes", x.serverCloses());
        if (x.fastOpenConnections() > 0) {
            Map<String, Object> tfo = new LinkedHashMap<>();
            tfo.put("connections", x.fastOpenConnections());
            tfo.put("syn_data", x.synDataConnections());
            Map<String, Object> fails = new LinkedHashMap<>();
            x.fastOpenFailures().forEach((k, v) -> fails.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
            tfo.put("failures", fails);
            out.put("fast_open", tfo);
        }
        out.put("generator_cpu_s", x.generatorCpuNanos() / 1e9);
        if (r.usage() != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("cpu_s", r.usage().cpuSeconds());
            t.put("rss_start_bytes", r.usage().rssStart());
            t.put("rss_end_bytes", r.usage().rssEnd());
            t.put("rss_peak_bytes", r.usage().rssPeak());
            t.put("processes", r.usage().processes());
            out.put("target_usage", t);
        }
        return out;
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("p50", LoadResult.millis(h, 50));
        out.put("p90", LoadResult.millis(h, 90));
        out.put("p99", LoadResult.millis(h, 99));
        out.put("p99.9", LoadResult.millis(h, 99.9));
        out.put("max", h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0);
        out.put("count", h.getTotalCount());
        return out;
    }
}
