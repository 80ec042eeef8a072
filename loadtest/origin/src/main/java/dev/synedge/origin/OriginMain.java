package dev.synedge.origin;

import dev.synedge.net.NativeException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs an origin until SIGTERM/SIGINT. Prints one line, {@code synedge origin listening on
 * HOST:PORT}, once it accepts connections, so scripts can wait for it.
 */
@Command(name = "synedge-origin", mixinStandardHelpOptions = true,
        description = "The synedge test origin: HTTP/1.1 on Netty epoll with sized bodies, "
                + "echo, upload, delays, fault injection and a WebSocket echo (see loadtest/origin/README.md).")
public final class OriginMain implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private InetAddress bind;

    @Option(names = "--port", defaultValue = "9000", description = "Port; 0 picks one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--event-loops", defaultValue = "1", description = "Event loop threads (default: ${DEFAULT-VALUE}).")
    private int eventLoops;

    @Option(names = "--fastopen", defaultValue = "4096",
            description = "TCP Fast Open queue length for the listener; 0 turns it off (default: ${DEFAULT-VALUE}).")
    private int fastOpen;

    @Option(names = "--reuse-port", description = "SO_REUSEPORT, one listener per event loop.")
    private boolean reusePort;

    @Option(names = "--page-sender",
            description = "Serve only sized bodies (GET/HEAD /1m, /16m.bin), sent with MSG_ZEROCOPY: on loopback"
                    + " they arrive as whole pages, as from a header-split NIC, which zero-copy receive maps whole."
                    + " One thread per connection; --event-loops, --fastopen and --reuse-port do not apply.")
    private boolean pageSender;

    public static void main(String[] args) {
        int code = new CommandLine(new OriginMain()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (pageSender) {
            return runPageSender();
        }
        OriginOptions options;
        try {
            options = OriginOptions.defaults().withBindAddress(bind).withPort(port)
                    .withEventLoops(eventLoops).withFastOpenQueue(fastOpen).withReusePort(reusePort);
        } catch (IllegalArgumentException e) {
            System.err.println("synedge origin: " + e.getMessage());
            return 2;
        }
        Origin origin;
        try {
            origin = Origin.start(options);
        } catch (java.io.UncheckedIOException e) {
            System.err.println("synedge origin: " + e.getCause().getMessage());
            return 1;
        }
        if (fastOpen > 0 && !origin.fastOpenEnabled()) {
            System.err.println("synedge origin: TCP Fast Open is OFF on this listener: net.ipv4.tcp_fastopen="
                    + fastOpenSysctl() + " lacks the server bit 0x2 (sysctl -w net.ipv4.tcp_fastopen=3 turns it on)");
        }
        return serveUntilStopped(origin::close, origin.address().getAddress().getHostAddress() + ":" + origin.port());
    }

    /** Prints the listening line, then waits for SIGTERM/SIGINT and runs {@code close}. */
    private static int serveUntilStopped(Runnable close, String address) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close.run();
            stopped.countDown();
        }, "synedge-origin-shutdown"));
        System.out.println("synedge origin listening on " + address);
        System.out.flush();
        stopped.await();
        return 0;
    }

    private Integer runPageSender() throws InterruptedException {
        PageSender sender;
        InetSocketAddress address;
        try {
            sender = PageSender.start(bind, port);
            address = sender.address();
        } catch (NativeException e) {
            System.err.println("synedge origin: " + e.getMessage());
            return 1;
        }
        return serveUntilStopped(sender::close, address.getAddress().getHostAddress() + ":" + address.getPort());
    }

    private static String fastOpenSysctl() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_fastopen")).trim();
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
