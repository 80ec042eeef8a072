package dev.synedge.cli;

import dev.synedge.listener.CannotListen;
import dev.synedge.net.AddressText;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * The one line a command prints when a port it needs is taken: the usual cause is another
 * synedge still running, so the line says how to find what listens there and where to change
 * the port, instead of a stack trace.
 */
final class PortInUse {

    private PortInUse() {}

    /** For a listener that could not listen: the line below when its port is taken, else why it failed. */
    static String listener(String command, CannotListen e, Path file) {
        String listener = "listener " + e.listener();
        return e.addressInUse() ? line(command, listener, e.address(), listener, file)
                : command + ": not started: " + e.getMessage();
    }

    /**
     * E.g. {@code synedge: port 8080 is in use, so listener main cannot listen on 0.0.0.0:8080;
     * stop what listens there (ss -ltnp 'sport = :8080' shows it) or give listener main another
     * port in conf/synedge.conf}.
     */
    static String line(String command, String who, InetSocketAddress address, String owner, Path file) {
        int port = address.getPort();
        return command + ": port " + port + " is in use, so " + who + " cannot listen on " + AddressText.of(address)
                + "; stop what listens there (ss -ltnp 'sport = :" + port + "' shows it) or give " + owner
                + " another port in " + file;
    }
}
