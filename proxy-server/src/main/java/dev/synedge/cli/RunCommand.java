package dev.synedge.cli;

import dev.synedge.admin.AdminServer;
import dev.synedge.config.ProxyConfig;
import dev.synedge.listener.BoundListener;
import dev.synedge.net.NativeException;
import dev.synedge.net.Signals;
import dev.synedge.server.ProxyServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code synedge run [config]}: runs the proxy until it is stopped. Signals:
 * <ul>
 *   <li>SIGTERM stops gracefully: nothing new is accepted, exchanges in flight finish within
 *       {@code lifecycle.drain-timeout}, then synedge exits 0. systemd and container runtimes
 *       stop services with SIGTERM and wait, so it drains (nginx and HAProxy stop at once on
 *       SIGTERM, and drain on SIGQUIT or SIGUSR1, which the JVM keeps for itself or leaves
 *       to other uses).
 *   <li>SIGINT stops at once, cutting what is in flight; so does a second SIGTERM during a
 *       drain. Both follow nginx and HAProxy.
 *   <li>SIGHUP reloads the configuration file: a valid one replaces routes and clusters for new
 *       exchanges; a bad one is reported and the running configuration stays.
 * </ul>
 * With {@code admin.enabled}, the admin API's {@code POST /drain} stops it as SIGTERM does.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the proxy with a configuration file (default: conf/synedge.conf).")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "HOCON configuration file")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path file = ConfigFiles.resolve(config);
        ProxyConfig loaded = ConfigFiles.load(file, err);
        if (loaded == null) {
            return 2;
        }
        // Before the proxy, so that probes see it starting, and a port in use stops it early.
        AdminServer admin;
        try {
            admin = loaded.admin().enabled() ? AdminServer.start(loaded) : null;
        } catch (java.io.IOException e) {
            err.println("synedge: not started: " + e.getMessage());
            return 1;
        }
        ProxyServer server;
        try {
            server = ProxyServer.start(loaded, null);
        } catch (java.io.IOException e) {
            err.println("synedge: not started: " + e.getMessage());
            closeAdmin(admin);
            return 1;
        }
        if (admin != null) {
            admin.serve(server);
        }
        // Any other way out (System.exit, an error) still closes the server and flushes the logs.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            flushLogs();
        }, "synedge-shutdown"));
        stopOnSignals(server, loaded.lifecycle().drainTimeout());
        listenForReload(server, file);
        // The listener lines say the proxy is ready, for supervisors and tests alike: a SIGHUP
        // sent on seeing them must find the reload handler, not the JVM's, which exits.
        PrintWriter out = spec.commandLine().getOut();
        for (BoundListener listener : server.listeners()) {
            out.println("synedge: listener " + listener.name() + " on " + listener.address());
        }
        if (admin != null) {
            out.println("synedge: admin on " + admin.address());
        }
        out.flush();
        try {
            server.awaitStopped();
        } finally {
            closeAdmin(admin);
        }
        return 0;
    }

    /**
     * SIGTERM drains, SIGINT (or a second SIGTERM) cuts. The drain runs on a thread of its own:
     * a signal handler must return, and a second signal must reach {@link ProxyServer#cutNow}.
     */
    private static void stopOnSignals(ProxyServer server, Duration drainTimeout) {
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                Thread.ofPlatform().name("synedge-drain").start(() -> server.drain(drainTimeout));
            } else {
                server.cutNow();
            }
        };
        Signal.handle(new Signal("TERM"), signal -> {
            log.info(stopping.get() ? "SIGTERM again: cutting what is in flight"
                    : "SIGTERM: draining (at most {}; SIGTERM again or SIGINT cuts what is in flight)", drainTimeout);
            stop.run();
        });
        Signal.handle(new Signal("INT"), signal -> {
            log.info("SIGINT: stopping now, cutting what is in flight");
            server.cutNow();
            stop.run();
        });
    }

    /**
     * SIGHUP reloads. Started under nohup, the process inherits SIGHUP ignored, and the JVM
     * would then leave it so without a word: it is made to take its default action first, which
     * the reload handler replaces (a terminal hangup then reloads, which is harmless).
     */
    private static void listenForReload(ProxyServer server, Path file) {
        try {
            if (Signals.stopIgnoring(Signals.SIGHUP)) {
                log.info("SIGHUP was ignored when synedge started (nohup?); it reloads the configuration all the same");
            }
        } catch (NativeException e) {
            log.warn("SIGHUP may not reload the configuration: {}", e.getMessage());
        }
        Signal.handle(new Signal("HUP"), signal -> reload(server, file));
    }

    /**
     * Stops logback once the server has said its last lines (the per-cluster body counters among
     * them), which drains the asynchronous appenders. Logback's own {@code <shutdownHook/>}
     * would run beside this hook, not after it, and could drop those lines.
     */
    private static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    /** Runs on the signal thread, never on an event loop: loading resolves host names. */
    private static void reload(ProxyServer server, Path file) {
        java.io.StringWriter problems = new java.io.StringWriter();
        ProxyConfig next = ConfigFiles.load(file, new PrintWriter(problems, true));
        if (next == null) {
            log.error("reload: {}; the running configuration stays", problems.toString().strip());
            return;
        }
        if (!next.listeners().equals(server.config().listeners()) || next.eventLoops() != server.config().eventLoops()) {
            log.warn("reload: listener and event-loop changes take effect only after a restart");
        }
        server.reload(next);
        log.info("reload: {} loaded ({} routes, {} clusters)", file, next.routes().size(), next.clusters().size());
    }

    private static void closeAdmin(AdminServer admin) {
        if (admin != null) {
            admin.close();
        }
    }
}
