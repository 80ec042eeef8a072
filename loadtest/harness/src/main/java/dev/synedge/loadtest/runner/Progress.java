package dev.synedge.loadtest.runner;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A one-line progress bar for long comparisons, redrawn in place with plain ANSI codes, only
 * when the output is a terminal; otherwise only the log lines are printed. Progress counts
 * planned time: finished runs count fully, the current one by its elapsed share.
 */
public final class Progress implements AutoCloseable {

    private static final String CLEAR_LINE = "\r\033[2K";
    private static final int BAR = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final ScheduledExecutorService ticker;
    private long plannedNanos;
    private int plannedRuns;
    private long doneNanos;
    private int doneRuns;
    private long startNanos;
    private long runStartNanos;
    private long runExpectedNanos;
    private String label = "";

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
        if (terminal) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::draw, 250, 250, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** A bar on {@code out} when this JVM's standard output is a terminal. */
    public static Progress forStdout() {
        java.io.Console console = System.console();
        return new Progress(System.out, console != null && console.isTerminal());
    }

    /** Plain log lines only (tests, pipes). */
    public static Progress plain(PrintStream out) {
        return new Progress(out, false);
    }

    public synchronized void plan(Duration total, int runs) {
        plannedNanos = total.toNanos();
        plannedRuns = runs;
        startNanos = System.nanoTime();
    }

    public synchronized void begin(String what, Duration expected) {
        label = what;
        runStartNanos = System.nanoTime();
        runExpectedNanos = expected.toNanos();
        draw();
    }

    public synchronized void end() {
        doneNanos += runExpectedNanos;
        doneRuns++;
        runExpectedNanos = 0;
    }

    /** Prints a line above the bar. */
    public synchronized void log(String line) {
        if (terminal) {
            out.print(CLEAR_LINE);
        }
        out.println(line);
        draw();
    }

    private synchronized void draw() {
        if (!terminal || plannedNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        long current = Math.min(runExpectedNanos, now - runStartNanos);
        double share = Math.min(1.0, (doneNanos + current) / (double) plannedNanos);
        int filled = (int) Math.round(share * BAR);
        long elapsed = now - startNanos;
        long left = share > 0.01 ? (long) (elapsed / share) - elapsed : plannedNanos - elapsed;
        out.print(CLEAR_LINE + "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] "
                + String.format("%3d%%", Math.round(share * 100)) + "  " + label + " · " + (doneRuns + 1) + "/"
                + plannedRuns + " runs · " + clock(elapsed) + " elapsed · ~" + clock(Math.max(0, left)) + " left");
        out.flush();
    }

    static String clock(long nanos) {
        long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    @Override
    public synchronized void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            out.print(CLEAR_LINE);
            out.flush();
        }
    }
}
