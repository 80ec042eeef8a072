package dev.synedge.loadtest.scenario;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.synedge.loadtest.generator.LoadSpec;
import dev.synedge.loadtest.generator.Mode;
import dev.synedge.loadtest.http.RequestSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads scenario files. Every key is checked: unknown keys (typos) and bad values are refused
 * with the file, line and key, so a scenario never silently measures something else.
 *
 * <pre>
 * name = keepalive-hello
 * description = "GET /hello on 50 keep-alive connections"
 * load { connections = 50, warmup = 2s, duration = 10s }
 * requests = [ { path = /hello, expect-length = 5 } ]
 * report.metric = rps
 * </pre>
 */
public final class ScenarioLoader {

    private static final Config DEFAULTS = ConfigFactory.parseResources(ScenarioLoader.class, "defaults.conf",
            ConfigParseOptions.defaults().setAllowMissing(false));
    private static final Config REQUEST_DEFAULTS = ConfigFactory.parseResources(ScenarioLoader.class,
            "request-defaults.conf", ConfigParseOptions.defaults().setAllowMissing(false));
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "rtt", "report", "load", "requests",
            "fresh-target");
    private static final Set<String> REPORT_KEYS = Set.of("metric");
    private static final Set<String> LOAD_KEYS = DEFAULTS.getConfig("load").root().keySet();
    private static final Set<String> REQUEST_KEYS = Set.of("method", "path", "body", "headers", "weight",
            "expect-status", "expect-length");

    private ScenarioLoader() {}

    /** Reads one scenario file. */
    public static Scenario load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ScenarioException(file + ": no such scenario file");
        }
        Config config;
        try {
            config = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ScenarioException(e.getMessage(), e);
        }
        String base = file.getFileName().toString().replaceFirst("\\.conf$", "");
        return parse(config, base, file);
    }

    /** Reads scenario text (for tests and inline use); {@code name} is used when it sets none. */
    public static Scenario parse(String text, String name) {
        Config config;
        try {
            config = ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(name));
        } catch (ConfigException e) {
            throw new ScenarioException(e.getMessage(), e);
        }
        return parse(config, name, Path.of(name));
    }

    /**
     * Reads files and the {@code *.conf} files of directories (sorted by name), in the order given.
     */
    public static List<Scenario> loadAll(List<Path> paths) {
        List<Scenario> scenarios = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted()
                            .forEach(f -> scenarios.add(load(f)));
                } catch (IOException e) {
                    throw new UncheckedIOException("list " + path, e);
                }
            } else {
                scenarios.add(load(path));
            }
        }
        return scenarios;
    }

    private static Scenario parse(Config file, String defaultName, Path source) {
        try {
            file = file.resolve();
            checkKeys(file.root(), TOP_KEYS, "");
            if (file.hasPath("load")) {
                checkKeys(file.getObject("load"), LOAD_KEYS, "load.");
            }
            if (file.hasPath("report")) {
                checkKeys(file.getObject("report"), REPORT_KEYS, "report.");
            }
            Config c = file.withFallback(DEFAULTS);
            String name = c.hasPath("name") ? c.getString("name") : defaultName;
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw bad(file, "name", "must be letters, digits, '.', '_' or '-' (it names result files)");
            }
            LoadSpec load = load(c, file);
            List<RequestSpec> requests = requests(file);
            Duration rtt = c.getDuration("rtt");
            if (rtt.isNegative()) {
                throw bad(file, "rtt", "must be 0 or more");
            }
            Metric metric;
            try {
                metric = Metric.ofKey(c.getString("report.metric"));
            } catch (IllegalArgumentException e) {
                throw bad(file, "report.metric", e.getMessage());
            }
            return new Scenario(name, c.getString("description"), source, load, requests, rtt, metric,
                    c.getBoolean("fresh-target"));
        } catch (ConfigException e) {
            throw new ScenarioException(e.getMessage(), e);
        }
    }

    private static LoadSpec load(Config c, Config file) {
        Mode mode;
        try {
            mode = Mode.valueOf(c.getString("load.mode").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad(file, "load.mode", "must be closed, open or idle");
        }
        long requests = c.getLong("load.requests");
        Duration duration = requests > 0 && !file.hasPath("load.duration") ? Duration.ZERO : c.getDuration("load.duration");
        try {
            return new LoadSpec(mode, c.getInt("load.connections"), c.getInt("load.pipeline"),
                    c.getBoolean("load.connection-per-request"), c.getBoolean("load.fast-open"), c.getDouble("load.rate"),
                    c.getInt("load.max-connections"), c.getInt("load.threads"), c.getDuration("load.warmup"), duration, requests,
                    c.getDuration("load.timeout"), c.getBoolean("load.verify-checksum"), c.getInt("load.connect-concurrency"),
                    c.getDuration("load.settle"));
        } catch (IllegalArgumentException e) {
            throw bad(file, "load", e.getMessage());
        }
    }

    private static List<RequestSpec> requests(Config file) {
        if (!file.hasPath("requests")) {
            throw new ScenarioException(file.origin().description() + ": requests: missing; give at least one, "
                    + "e.g. requests = [ { path = /hello } ]");
        }
        List<? extends ConfigValue> list = file.getList("requests");
        if (list.isEmpty()) {
            throw bad(file, "requests", "is empty; give at least one request");
        }
        List<RequestSpec> requests = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue value = list.get(i);
            String where = "requests[" + i + "]";
            Config r;
            if (value.valueType() == ConfigValueType.STRING) {
                r = ConfigFactory.parseMap(java.util.Map.of("path", value.unwrapped()), value.origin().description())
                        .withFallback(REQUEST_DEFAULTS);
            } else if (value.valueType() == ConfigValueType.OBJECT) {
                checkKeys((ConfigObject) value, REQUEST_KEYS, where + ".");
                r = ((ConfigObject) value).toConfig().withFallback(REQUEST_DEFAULTS);
            } else {
                throw new ScenarioException(location(value.origin()) + where + ": must be a path or an object");
            }
            if (!r.hasPath("path")) {
                throw new ScenarioException(location(value.origin()) + where + ".path: missing");
            }
            try {
                requests.add(new RequestSpec(r.getString("method"), r.getString("path"), size(r, "body"),
                        r.getStringList("headers"), r.getInt("weight"), r.getInt("expect-status"),
                        size(r, "expect-length")));
            } catch (IllegalArgumentException e) {
                throw new ScenarioException(location(value.origin()) + where + ": " + e.getMessage(), e);
            }
        }
        return requests;
    }

    /** A byte count: a number or a size with a unit ({@code 64k}, {@code 1m}, powers of two). */
    private static long size(Config r, String key) {
        ConfigValue v = r.getValue(key);
        if (v.valueType() == ConfigValueType.NUMBER) {
            return r.getLong(key);
        }
        return r.getBytes(key);
    }

    private static void checkKeys(ConfigObject object, Set<String> known, String prefix) {
        for (String key : object.keySet()) {
            if (!known.contains(key)) {
                throw new ScenarioException(location(object.get(key).origin()) + prefix + key
                        + ": unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /** An error at {@code path} of the file as written (or at the file, when it lacks the key). */
    private static ScenarioException bad(Config file, String path, String message) {
        ConfigOrigin origin = file.hasPath(path) ? file.getValue(path).origin() : file.origin();
        return new ScenarioException(location(origin) + path + ": " + message);
    }

    /** {@code file: line N: } of a value, as Typesafe Config words its own errors. */
    private static String location(ConfigOrigin origin) {
        return origin.description().replaceFirst(": \\d+$", "")
                + (origin.lineNumber() > 0 ? ": line " + origin.lineNumber() : "") + ": ";
    }
}
