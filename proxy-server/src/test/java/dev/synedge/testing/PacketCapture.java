package dev.synedge.testing;

import dev.synedge.testkit.KernelRequirement;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump on loopback, recording the initial SYNs (not SYN-ACKs) to some ports and the payload
 * length each carried: the ground truth for "the request rode in the SYN".
 */
public final class PacketCapture implements AutoCloseable {

    /** One SYN: where it went and how many payload bytes it carried. */
    public record Syn(String source, String destination, int payloadLength) {
        public int destinationPort() {
            return Integer.parseInt(destination.substring(destination.lastIndexOf('.') + 1));
        }
    }

    private static final Path BINARY = Path.of("/usr/bin/tcpdump");
    private static final Pattern LINE = Pattern.compile(
            "IP6? (\\S+) > (\\S+): Flags \\[S\\], .* length (\\d+)");

    private final Process process;
    private final List<Syn> syns = new ArrayList<>();
    private final Thread reader;

    private PacketCapture(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().start(this::read);
    }

    /** Starts capturing SYNs to any of {@code ports} on lo; returns once tcpdump listens. */
    public static PacketCapture synsTo(int... ports) throws IOException, InterruptedException {
        KernelRequirement.require(Files.isExecutable(BINARY), "tcpdump", BINARY + " not found; apt-get install tcpdump");
        KernelRequirement.requireRoot("packet capture");
        StringBuilder filter = new StringBuilder("tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and (");
        for (int i = 0; i < ports.length; i++) {
            filter.append(i > 0 ? " or " : "").append("dst port ").append(ports[i]);
        }
        filter.append(")");
        Process process = new ProcessBuilder(BINARY.toString(), "-i", "lo", "-nn", "-l", "-S",
                "--immediate-mode", filter.toString()).redirectErrorStream(true).start();
        PacketCapture capture = new PacketCapture(process);
        capture.awaitStarted();
        return capture;
    }

    private final Object lock = new Object();
    private boolean listening;

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lock) {
                    if (line.contains("listening on")) {
                        listening = true;
                        lock.notifyAll();
                    }
                    Matcher m = LINE.matcher(line);
                    if (m.find()) {
                        syns.add(new Syn(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
                        lock.notifyAll();
                    }
                }
            }
        } catch (IOException ignored) {
            // tcpdump was stopped
        }
    }

    private void awaitStarted() throws InterruptedException, IOException {
        synchronized (lock) {
            long deadline = System.currentTimeMillis() + 5000;
            while (!listening && System.currentTimeMillis() < deadline) {
                lock.wait(100);
            }
            if (!listening) {
                close();
                throw new IOException("tcpdump did not start");
            }
        }
    }

    /** Waits until at least {@code count} SYNs were seen (5 s at most) and returns all so far. */
    public List<Syn> awaitSyns(int count) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.currentTimeMillis() + 5000;
            while (syns.size() < count && System.currentTimeMillis() < deadline) {
                lock.wait(100);
            }
            return List.copyOf(syns);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
        reader.join(2000);
    }
}
