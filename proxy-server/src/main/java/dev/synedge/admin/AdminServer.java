package dev.synedge.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.synedge.config.AdminConfig;
import dev.synedge.config.ProxyConfig;
import dev.synedge.config.Secret;
import dev.synedge.net.AddressText;
import dev.synedge.server.ProxyServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API on a listener of its own: the JDK's HTTP server on one thread of its own, so
 * that it never runs on, nor waits for, the proxy's event loops, except for the scrape's short
 * reads of their counters. It binds before the proxy starts ({@link #start}), so that probes
 * see "starting", and serves the proxy once {@link #serve} hands it over.
 *
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text format: synedge's metrics, the kernel's Fast Open
 *       counters, the JVM's and the process's.
 *   <li>{@code GET /ready}: 200 while the proxy runs; 503 while it starts, drains or has stopped.
 *   <li>{@code GET /live}: 200 while this process answers.
 *   <li>{@code GET /endpoints}: what is known of each upstream endpoint, as JSON.
 *   <li>{@code GET /config}: the effective configuration as JSON, secrets redacted.
 *   <li>{@code POST /drain}: starts a graceful stop and answers 202 at once.
 * </ul>
 *
 * With a token configured every request needs {@code Authorization: Bearer <token>}, else 401
 * (before anything else is looked at). An unknown path is 404, another method 405.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private record Resource(String method, Handler handler) {}

    private final ProxyConfig startConfig;
    private final HttpServer http;
    private final ExecutorService executor;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter textFormat = PrometheusTextFormatWriter.create();
    private final Map<String, Resource> resources;
    private volatile ProxyServer server;

    private AdminServer(ProxyConfig config, HttpServer http, ExecutorService executor) {
        this.startConfig = config;
        this.http = http;
        this.executor = executor;
        this.resources = Map.of(
                "/metrics", new Resource("GET", this::metrics),
                "/ready", new Resource("GET", this::ready),
                "/live", new Resource("GET", exchange -> text(exchange, 200, "live")),
                "/endpoints", new Resource("GET", this::endpoints),
                "/config", new Resource("GET", this::config),
                "/drain", new Resource("POST", this::drain));
        JvmMetrics.builder().register(registry);
        registry.register(new SynedgeCollector(() -> server));
    }

    /** Binds {@code config.admin()}'s address and serves; the proxy follows with {@link #serve}. */
    public static AdminServer start(ProxyConfig config) throws IOException {
        AdminConfig settings = config.admin();
        HttpServer http;
        try {
            http = HttpServer.create(settings.address(), 0);
        } catch (IOException e) {
            throw new IOException("admin listener on " + AddressText.of(settings.address()) + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("synedge-admin").daemon().factory());
        AdminServer admin = new AdminServer(config, http, executor);
        http.createContext("/", admin::dispatch);
        http.setExecutor(executor);
        http.start();
        if (settings.token() == null && !admin.address().getAddress().isLoopbackAddress()) {
            log.warn("the admin API on {} takes requests from other hosts without a token; set synedge.admin.token",
                    admin.address());
        }
        return admin;
    }

    /** From now on the API reports on and acts on {@code proxy}. */
    public void serve(ProxyServer proxy) {
        this.server = proxy;
    }

    /** The address bound, with its real port when it was configured as 0. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** Stops serving at once; requests under way are cut. */
    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    /** The configuration now: the running proxy's (reloads included), or the one it will start with. */
    private ProxyConfig config() {
        ProxyServer proxy = server;
        return proxy != null ? proxy.config() : startConfig;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"synedge admin\"");
                text(exchange, 401, "a Bearer token is required");
                return;
            }
            Resource resource = resources.get(exchange.getRequestURI().getPath());
            if (resource == null) {
                text(exchange, 404, "no such resource; try /metrics, /ready, /live, /endpoints, /config, POST /drain");
                return;
            }
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD") && resource.method().equals("GET");
            if (!method.equals(resource.method()) && !head) {
                exchange.getResponseHeaders().set("Allow", resource.method().equals("GET") ? "GET, HEAD" : "POST");
                text(exchange, 405, method + " is not allowed here");
                return;
            }
            resource.handler().handle(exchange);
        } catch (RuntimeException e) {
            log.warn("admin {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            text(exchange, 500, "internal error: " + e.getMessage());
        }
    }

    /** The token compared in constant time, so that timing tells nothing of it. */
    private boolean authorized(HttpExchange exchange) {
        Secret token = config().admin().token();
        if (token == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).strip().getBytes(StandardCharsets.US_ASCII),
                token.value().getBytes(StandardCharsets.US_ASCII));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        textFormat.write(body, registry.scrape());
        send(exchange, 200, textFormat.getContentType(), body.toByteArray());
    }

    private void ready(HttpExchange exchange) throws IOException {
        ProxyServer proxy = server;
        ProxyServer.State state = proxy == null ? null : proxy.state();
        if (state == ProxyServer.State.RUNNING) {
            text(exchange, 200, "ready");
        } else {
            text(exchange, 503, state == null ? "starting" : state.name().toLowerCase(Locale.ROOT));
        }
    }

    private void endpoints(HttpExchange exchange) throws IOException {
        ProxyServer proxy = server;
        if (proxy == null) {
            text(exchange, 503, "starting");
            return;
        }
        String json;
        try {
            json = EndpointsJson.render(proxy, proxy.loopMetrics());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        send(exchange, 200, JSON, json.getBytes(StandardCharsets.US_ASCII));
    }

    private void config(HttpExchange exchange) throws IOException {
        send(exchange, 200, JSON, ConfigJson.render(config()).getBytes(StandardCharsets.US_ASCII));
    }

    /** Starts a graceful stop on a thread of its own (it blocks until done) and answers at once. */
    private void drain(HttpExchange exchange) throws IOException {
        ProxyServer proxy = server;
        if (proxy == null) {
            text(exchange, 503, "starting: nothing to drain yet");
            return;
        }
        switch (proxy.state()) {
            case RUNNING -> {
                Duration timeout = proxy.config().lifecycle().drainTimeout();
                log.info("admin: POST /drain from {}: draining (at most {})", exchange.getRemoteAddress(), timeout);
                Thread.ofPlatform().name("synedge-admin-drain").start(() -> proxy.drain(timeout));
                text(exchange, 202, "draining (at most " + ConfigJson.duration(timeout) + ")");
            }
            case DRAINING -> text(exchange, 202, "already draining");
            case STOPPED -> text(exchange, 409, "stopped");
        }
    }

    private static void text(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
