package dev.synedge.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the {@code TcpExt:} counters in {@code /proc/net/netstat} (per network
 * namespace). Take one before and one after, then {@link #minus} for what happened between.
 */
public record TcpExtCounters(Map<String, Long> values) {

    /** The Fast Open counters, in the order doctor prints them. */
    public static final List<String> FAST_OPEN = List.of(
            "TCPFastOpenActive", "TCPFastOpenActiveFail", "TCPFastOpenPassive", "TCPFastOpenPassiveFail",
            "TCPFastOpenListenOverflow", "TCPFastOpenCookieReqd", "TCPFastOpenBlackhole",
            "TCPFastOpenPassiveAltKey");

    private static final Path NETSTAT = Path.of("/proc/net/netstat");

    public TcpExtCounters {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static TcpExtCounters read() {
        try {
            return parse(Files.readString(NETSTAT));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + NETSTAT, e);
        }
    }

    /** Parses netstat text: pairs of lines, names then values, each starting with "TcpExt:". */
    public static TcpExtCounters parse(String netstat) {
        String[] lines = netstat.split("\n");
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("TcpExt:") && lines[i + 1].startsWith("TcpExt:")) {
                String[] names = lines[i].trim().split("\\s+");
                String[] numbers = lines[i + 1].trim().split("\\s+");
                for (int k = 1; k < Math.min(names.length, numbers.length); k++) {
                    values.put(names[k], Long.parseLong(numbers[k]));
                }
                break;
            }
        }
        return new TcpExtCounters(values);
    }

    /** The counter's value; 0 when this kernel does not have it. */
    public long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** Per-counter difference {@code this - earlier}. */
    public TcpExtCounters minus(TcpExtCounters earlier) {
        Map<String, Long> delta = new LinkedHashMap<>();
        values.forEach((name, value) -> delta.put(name, value - earlier.get(name)));
        return new TcpExtCounters(delta);
    }
}
