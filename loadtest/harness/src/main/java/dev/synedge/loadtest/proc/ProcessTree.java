package dev.synedge.loadtest.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Samples a process and all its descendants from {@code /proc}: utime + stime from
 * {@code /proc/PID/stat}, {@code VmRSS} from {@code /proc/PID/status}. Descendants are found
 * afresh at every sample (parent pids of every process), so workers a master restarts are
 * still counted. A process that exits between listing and reading is skipped.
 */
public final class ProcessTree {

    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {}

    /** The tree rooted at {@code pid}; empty when that process does not exist. */
    public static Optional<ProcessUsage> sample(long pid) {
        List<Long> pids = withDescendants(pid);
        if (pids.isEmpty()) {
            return Optional.empty();
        }
        long ticks = 0;
        long rss = 0;
        int counted = 0;
        for (long p : pids) {
            Stat stat = stat(p);
            if (stat == null) {
                continue;
            }
            ticks += stat.utime + stat.stime;
            rss += rssBytes(p);
            counted++;
        }
        if (counted == 0) {
            return Optional.empty();
        }
        return Optional.of(new ProcessUsage(ticks * 1_000_000_000L / ClockTicks.perSecond(), rss, counted));
    }

    /** CPU time of this JVM (all threads), in nanoseconds. */
    public static long selfCpuNanos() {
        Stat stat = stat(ProcessHandle.current().pid());
        return stat == null ? 0 : (stat.utime + stat.stime) * 1_000_000_000L / ClockTicks.perSecond();
    }

    /** {@code pid} followed by all its descendants; empty when {@code pid} is gone. */
    public static List<Long> withDescendants(long pid) {
        if (!Files.isDirectory(PROC.resolve(Long.toString(pid)))) {
            return List.of();
        }
        Map<Long, List<Long>> children = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumeric(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                long child = Long.parseLong(dir.getFileName().toString());
                Stat stat = stat(child);
                if (stat != null) {
                    children.computeIfAbsent(stat.ppid, k -> new ArrayList<>()).add(child);
                }
            }
        } catch (IOException e) {
            return List.of(pid);
        }
        List<Long> result = new ArrayList<>();
        result.add(pid);
        for (int i = 0; i < result.size(); i++) {
            result.addAll(children.getOrDefault(result.get(i), List.of()));
        }
        return result;
    }

    private record Stat(long ppid, long utime, long stime) {}

    /** Fields of /proc/PID/stat after the command name, which may hold spaces and parentheses. */
    private static Stat stat(long pid) {
        String text;
        try {
            text = Files.readString(PROC.resolve(pid + "/stat"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
        int close = text.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = text.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
        if (f.length < 13) {
            return null;
        }
        return new Stat(Long.parseLong(f[1]), Long.parseLong(f[11]), Long.parseLong(f[12]));
    }

    private static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim();
                    int space = kb.indexOf(' ');
                    return Long.parseLong(space < 0 ? kb : kb.substring(0, space)) * 1024;
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return 0;
    }

    private static boolean isNumeric(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
