package dev.synedge.testing;

import dev.synedge.testkit.KernelRequirement;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A loopback port whose packets an iptables rule drops: connecting to it hangs as to a host
 * that went away. Needs root and iptables; the rule is removed on close.
 */
public final class Blackhole implements AutoCloseable {

    private static final String IPTABLES = "/usr/sbin/iptables";

    private final int port;
    private final List<String> rule;

    private Blackhole(int port) {
        this.port = port;
        this.rule = List.of("INPUT", "-i", "lo", "-p", "tcp", "--dport", String.valueOf(port), "-j", "DROP");
    }

    /** Drops every TCP packet to a free loopback port. */
    public static Blackhole open() throws IOException, InterruptedException {
        KernelRequirement.requireRoot("an iptables rule on loopback");
        KernelRequirement.require(Files.isExecutable(Path.of(IPTABLES)), "iptables",
                IPTABLES + " not found; apt-get install iptables");
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Blackhole blackhole = new Blackhole(port);
        blackhole.iptables("-I");
        return blackhole;
    }

    public int port() {
        return port;
    }

    private void iptables(String action) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(IPTABLES, "-w", action));
        command.addAll(rule);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        iptables("-D");
    }
}
