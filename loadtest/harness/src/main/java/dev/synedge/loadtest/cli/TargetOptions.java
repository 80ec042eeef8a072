package dev.synedge.loadtest.cli;

import dev.synedge.loadtest.runner.Target;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds targets from the command line: {@code name=url} pairs, the reference peers
 * ({@code loadtest/peers/peers}: origin :9000, HAProxy :8001, nginx :8002, with their pid
 * files), and per-name start commands, pid files, pids and versions.
 */
final class TargetOptions {

    private TargetOptions() {}

    /** Splits {@code name=value}; the message names the option when the form is wrong. */
    static Map.Entry<String, String> pair(String option, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException(option + " wants NAME=VALUE, got '" + text + "'");
        }
        return Map.entry(text.substring(0, eq), text.substring(eq + 1));
    }

    /** The peers script's targets, in the order origin, haproxy, nginx. */
    static List<Target> peers(Path state) {
        int origin = port("ORIGIN_PORT", 9000);
        int haproxy = port("HAPROXY_PORT", 8001);
        int nginx = port("NGINX_PORT", 8002);
        return List.of(
                Target.of("origin", URI.create("http://127.0.0.1:" + origin)).withPidFile(state.resolve("origin.pid")),
                Target.of("haproxy", URI.create("http://127.0.0.1:" + haproxy)).withPidFile(state.resolve("haproxy.pid")),
                Target.of("nginx", URI.create("http://127.0.0.1:" + nginx)).withPidFile(state.resolve("nginx-proxy.pid")));
    }

    /** Where loadtest/peers/peers keeps its state: {@code $PEERS_STATE}, else {@code $TMPDIR/peers}. */
    static Path defaultPeersState() {
        String state = System.getenv("PEERS_STATE");
        if (state != null && !state.isEmpty()) {
            return Path.of(state);
        }
        String tmp = System.getenv("TMPDIR");
        return Path.of(tmp != null && !tmp.isEmpty() ? tmp : "/tmp", "peers");
    }

    private static int port(String env, int fallback) {
        String v = System.getenv(env);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }

    /**
     * Targets from {@code name=url} pairs (after the peers, if any), then the per-name settings
     * applied; a setting for a name that is no target is an error.
     */
    static List<Target> build(List<Target> peers, List<String> pairs, List<String> starts, List<String> pidFiles,
            List<String> pids, List<String> versions) {
        Map<String, Target> byName = new LinkedHashMap<>();
        for (Target t : peers) {
            byName.put(t.name(), t);
        }
        for (String p : pairs) {
            Map.Entry<String, String> e = pair("target", p);
            byName.put(e.getKey(), Target.of(e.getKey(), URI.create(e.getValue())));
        }
        for (String s : starts) {
            Map.Entry<String, String> e = pair("--start", s);
            byName.put(e.getKey(), named(byName, "--start", e.getKey()).withStartCommand(e.getValue()));
        }
        for (String s : pidFiles) {
            Map.Entry<String, String> e = pair("--pidfile", s);
            byName.put(e.getKey(), named(byName, "--pidfile", e.getKey()).withPidFile(Path.of(e.getValue())));
        }
        for (String s : pids) {
            Map.Entry<String, String> e = pair("--pid", s);
            byName.put(e.getKey(), named(byName, "--pid", e.getKey()).withPid(Long.parseLong(e.getValue())));
        }
        for (String s : versions) {
            Map.Entry<String, String> e = pair("--version-text", s);
            byName.put(e.getKey(), named(byName, "--version-text", e.getKey()).withVersion(e.getValue()));
        }
        return new ArrayList<>(byName.values());
    }

    private static Target named(Map<String, Target> byName, String option, String name) {
        Target t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException(option + " names '" + name + "', which is no target; targets: "
                    + byName.keySet());
        }
        return t;
    }
}
