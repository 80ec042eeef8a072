package dev.synedge.testing;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.admin.AdminServer;
import dev.synedge.config.ConfigException;
import dev.synedge.config.ConfigLoader;
import dev.synedge.config.ProxyConfig;
import dev.synedge.server.ProxyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * synedge started in-process from HOCON text, for tests: its first listener's address, and
 * every ended exchange as the access log saw it ({@link #nextExchange}).
 *
 * <pre>{@code
 * try (TestProxy proxy = TestProxy.start("""
 *         synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
 *         synedge.routes = [ { name = all, cluster = up } ]
 *         synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
 *         """.formatted(origin.port()))) { ... }
 * }</pre>
 */
public final class TestProxy implements AutoCloseable {

    private final ProxyServer server;
    private final AdminServer admin;
    private final LinkedBlockingQueue<AccessRecord> exchanges = new LinkedBlockingQueue<>();

    private TestProxy(ProxyConfig config) throws IOException, InterruptedException {
        this.admin = config.admin().enabled() ? AdminServer.start(config) : null;
        try {
            this.server = ProxyServer.start(config, exchanges::add);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            throw e;
        }
        if (admin != null) {
            admin.serve(server);
        }
    }

    /**
     * Starts with {@code hocon} (over reference.conf); two event loops unless it says otherwise.
     * The admin API is off, as by default; {@code synedge.admin.enabled = true} starts it on an
     * ephemeral port of 127.0.0.1 ({@link #adminUrl}), so that test processes running at once
     * never contend for one.
     */
    public static TestProxy start(String hocon) throws IOException, InterruptedException {
        try {
            return new TestProxy(ConfigLoader.load("synedge.event-loops = 2\nsynedge.access-log.enabled = false\n"
                    + "synedge.admin.port = 0\n" + hocon, "test config"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public ProxyServer server() {
        return server;
    }

    /** The first listener's address, with its real port. */
    public InetSocketAddress address() {
        return server.listeners().get(0).address();
    }

    public int port() {
        return address().getPort();
    }

    /** {@code http://127.0.0.1:port} (or the listener's IP) followed by {@code path}. */
    public String url(String path) {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort() + path;
    }

    /** {@code http://127.0.0.1:port} of the admin API followed by {@code path}. */
    public String adminUrl(String path) {
        if (admin == null) {
            throw new IllegalStateException("the admin API is off: start with synedge.admin.enabled = true");
        }
        return "http://127.0.0.1:" + admin.address().getPort() + path;
    }

    /** The next exchange to end, waiting up to five seconds. */
    public AccessRecord nextExchange() throws InterruptedException {
        AccessRecord record = exchanges.poll(5, TimeUnit.SECONDS);
        if (record == null) {
            throw new AssertionError("no exchange ended within 5 s");
        }
        return record;
    }

    /** Exchanges ended so far and not yet taken. */
    public List<AccessRecord> drainExchanges(Duration settle) throws InterruptedException {
        Thread.sleep(settle.toMillis());
        List<AccessRecord> all = new ArrayList<>();
        exchanges.drainTo(all);
        return all;
    }

    @Override
    public void close() {
        server.close();
        if (admin != null) {
            admin.close();
        }
    }
}
