package dev.synedge.testing;

import dev.synedge.cli.SynedgeCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A synedge command ({@code run}, {@code demo}) as its own process, from the test classpath,
 * with its output lines (stdout and stderr together) collected as they come.
 */
public final class SynedgeProcess implements AutoCloseable {

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final Thread reader;

    /**
     * Starts {@code synedge <arguments>} through {@code launcher} (a command that runs the rest
     * of its arguments, such as nohup; may be empty), with extra JVM options and, when not
     * null, the log directory for the built-in logging configuration.
     */
    public SynedgeProcess(List<String> launcher, List<String> jvmOptions, Path logDir, String... arguments)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SynedgeCommand.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (logDir != null) {
            builder.environment().put("SYNEDGE_LOG_DIR", logDir.toString());
        }
        process = builder.start();
        reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (all) {
                        all.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    /** {@code synedge <arguments>}, started directly. */
    public SynedgeProcess(String... arguments) throws IOException {
        this(List.of(), List.of(), null, arguments);
    }

    /** The next line matching {@code regex}, waiting up to 15 s. */
    public Matcher await(String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() - deadline < 0) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
        }
        synchronized (all) {
            throw new AssertionError("no line matching " + regex + " in:\n" + String.join("\n", all));
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Every line so far. */
    public List<String> all() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    public void signal(String name) throws Exception {
        new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    /** Waits up to 15 s for the process to end by itself and for its last line; its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("synedge did not exit; its output:\n" + String.join("\n", all()));
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    /**
     * Sends SIGTERM and waits for the exit and for the last output line. Not through
     * {@code destroy()}, which also closes this end of the child's output pipe, so that what
     * the child says while it stops would be lost.
     */
    @Override
    public void close() throws Exception {
        if (!process.isAlive()) {
            return;
        }
        signal("TERM");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("synedge did not stop on SIGTERM");
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
    }
}
