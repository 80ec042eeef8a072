package dev.synedge.loadtest.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Adds round-trip time for the scenarios that ask for it, by running user commands: one to
 * turn it on ({@code {ms}} is replaced by the scenario's RTT in milliseconds), one to turn it
 * off. For example {@code loadtest/peers/rtt on 8001,8002,9000 {ms}} and
 * {@code loadtest/peers/rtt off}, or with netem
 * {@code tc qdisc add dev lo root netem delay {half}ms} ({@code {half}}: half the RTT, since
 * loopback delays both directions) and {@code tc qdisc del dev lo root}.
 * A shutdown hook turns it off if the runner is interrupted while it is on.
 */
public final class RttControl {

    private final String onTemplate;
    private final String offCommand;
    private final PrintStream log;
    private volatile boolean active;
    private Thread hook;

    public RttControl(String onTemplate, String offCommand, PrintStream log) {
        this.onTemplate = onTemplate;
        this.offCommand = offCommand;
        this.log = log;
        if ((onTemplate == null) != (offCommand == null)) {
            throw new IllegalArgumentException("give both --rtt-command and --rtt-off-command, or neither");
        }
    }

    public static RttControl none(PrintStream log) {
        return new RttControl(null, null, log);
    }

    public boolean available() {
        return onTemplate != null;
    }

    /** The command that turns {@code rtt} on, as it will be run. */
    public String onCommand(Duration rtt) {
        long ms = rtt.toMillis();
        return onTemplate.replace("{ms}", Long.toString(ms)).replace("{half}", Double.toString(ms / 2.0));
    }

    /** Turns it on; when that fails, runs the off command once (it may be half on) and throws. */
    public void apply(Duration rtt) throws IOException {
        try {
            run(onCommand(rtt));
        } catch (IOException e) {
            active = true;
            removeQuietly();
            throw e;
        }
        active = true;
        if (hook == null) {
            hook = new Thread(this::removeQuietly, "rtt-off");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    public void remove() throws IOException {
        if (!active) {
            return;
        }
        run(offCommand);
        active = false;
    }

    private void removeQuietly() {
        try {
            remove();
        } catch (IOException e) {
            log.println("rtt: could not turn it off: " + e.getMessage() + "; run: " + offCommand);
        }
    }

    private void run(String command) throws IOException {
        String out = Shell.run(command);
        if (!out.isEmpty()) {
            log.println(out);
        }
    }
}
