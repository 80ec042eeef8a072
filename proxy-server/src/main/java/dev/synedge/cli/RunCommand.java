package dev.synedge.cli;

import dev.synedge.admin.AdminServer;
import dev.synedge.config.ProxyConfig;
import dev.synedge.listener.BoundListener;
import dev.synedge.listener.CannotListen;
import dev.synedge.net.AddressText;
import dev.synedge.net.DescriptorLimit;
import dev.synedge.net.NativeException;
import dev.synedge.net.Signals;
import dev.synedge.server.ProxyServer;
import dev.synedge.server.Takeover;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code synedge run [config]}: runs the proxy until it is stopped. Signals:
 * <ul>
 *   <li>SIGTERM stops gracefully: nothing new is accepted, exchanges in flight finish within
 *       {@code lifecycle.drain-timeout}, then synedge exits 0. systemd and container runtimes
 *       stop services with SIGTERM and wait, so it drains (nginx and HAProxy stop at once on
 *       SIGTERM and drain on SIGQUIT or SIGUSR1; the JVM keeps SIGQUIT for thread dumps).
 *   <li>SIGINT stops at once, cutting what is in flight; so does a second SIGTERM during a
 *       drain. Both follow nginx and HAProxy.
 *   <li>SIGHUP reloads the configuration file, all of it (listeners too); what a running
 *       process cannot change is logged as not applied, and a bad file changes nothing.
 * </ul>
 *
 * <p>With {@code --takeover}, it starts on the listening sockets of the synedge that runs
 * with the same {@code lifecycle.takeover-socket}, which then drains and exits: a restart that
 * refuses or resets no connection.
 * </ul>
 * With {@code admin.enabled}, the admin API's {@code POST /drain} stops it as SIGTERM does.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Run the proxy with a configuration file (default: conf/synedge.conf).")
final class RunCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "HOCON configuration file")
    Path config;

    @Option(names = "--takeover", description = "Take over from the synedge running with the same "
            + "lifecycle.takeover-socket: start on its listening sockets, then let it drain and exit.")
    boolean takeover;

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
        Path takeoverSocket = loaded.lifecycle().takeoverSocket();
        if (takeover && takeoverSocket == null) {
            err.println("synedge: --takeover needs lifecycle.takeover-socket in " + file);
            return 2;
        }
        if (!takeover && takeoverSocket != null && Takeover.answers(takeoverSocket)) {
            err.println("synedge: not started: a synedge runs with takeover-socket " + takeoverSocket
                    + "; start with --takeover to replace it without dropping a connection, or stop it first");
            return 1;
        }
        raiseDescriptorLimit();
        // Before the proxy, so that probes see it starting, and a port in use stops it early. A
        // process taking over starts it once the old one has let go of the port (takeOver).
        AdminServer admin;
        try {
            admin = loaded.admin().enabled() && !takeover ? AdminServer.start(loaded) : null;
        } catch (IOException e) {
            err.println("synedge: not started: " + e.getMessage());
            return 1;
        }
        Takeover from = null;
        ProxyServer server;
        try {
            from = takeover ? Takeover.from(takeoverSocket) : null;
            server = ProxyServer.start(loaded, null, from == null ? new HashMap<>() : from.listeners());
        } catch (IOException e) {
            if (from != null) {
                from.close();
            }
            closeAdmin(admin);
            err.println(e instanceof CannotListen cannot ? PortInUse.listener("synedge", cannot, file)
                    : "synedge: not started: " + e.getMessage());
            return 1;
        }
        // Any other way out (System.exit, an error) still closes the server and flushes the logs.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            flushLogs();
        }, "synedge-shutdown"));
        stopOnSignals(server);
        listenForReload(server, file);
        if (from != null) {
            takeOver(from);
            admin = adminAfterTakeover(loaded);
        }
        if (admin != null) {
            admin.serve(server);
        }
        if (takeoverSocket != null) {
            AdminServer handedOver = admin;
            try {
                // the admin port goes with the listening sockets, to the process taking over
                server.serveTakeovers(takeoverSocket, () -> closeAdmin(handedOver));
            } catch (IOException e) {
                log.warn("takeover: {}; this synedge cannot be taken over", e.getMessage());
            }
        }
        // The listener lines say the proxy is ready, for supervisors and tests alike: a SIGHUP
        // sent on seeing them must find the reload handler, not the JVM's, which exits.
        PrintWriter out = spec.commandLine().getOut();
        for (BoundListener listener : server.listeners()) {
            out.println("synedge: listener " + listener.name() + " on " + AddressText.of(listener.address()));
        }
        if (admin != null) {
            out.println("synedge: admin on " + AddressText.of(admin.address()));
        }
        out.flush();
        try {
            server.awaitStopped();
        } finally {
            closeAdmin(admin);
        }
        return 0;
    }

    /** The admin API of a process that took over, whose predecessor has closed its own; null when off or when it cannot. */
    private static AdminServer adminAfterTakeover(ProxyConfig config) {
        if (!config.admin().enabled()) {
            return null;
        }
        try {
            return AdminServer.start(config);
        } catch (IOException e) {
            log.error("admin: not started after the takeover: {}; the proxy serves without it", e.getMessage());
            return null;
        }
    }

    /**
     * Every client and upstream connection holds a descriptor, and the soft limit is where
     * accept(2) starts failing, however high the hard limit: systemd gives services 1024 by
     * default. HotSpot raises the soft limit itself unless started with -XX:-MaxFDLimit; synedge
     * does it whatever the flags, before the listeners are bound, since the limit also sizes
     * {@code max-connections = auto}. Both values go to the log.
     */
    private static void raiseDescriptorLimit() {
        try {
            DescriptorLimit.Values before = DescriptorLimit.get();
            DescriptorLimit.Values now = DescriptorLimit.raiseToHard();
            if (now.soft() != before.soft()) {
                log.info("descriptors: soft limit raised from {} to {}, the hard limit", count(before.soft()),
                        count(now.soft()));
            } else {
                log.info("descriptors: soft limit {}, hard limit {}", count(now.soft()), count(now.hard()));
            }
        } catch (NativeException e) {
            log.warn("descriptors: the soft limit stays as it was: {}", e.getMessage());
        }
    }

    private static String count(long limit) {
        return limit == DescriptorLimit.UNLIMITED ? "unlimited" : Long.toString(limit);
    }

    /** This process accepts on the sockets now: the old one may release the takeover socket and drain. */
    private static void takeOver(Takeover from) {
        try (from) {
            from.ready();
            log.info("takeover: the previous synedge released {} and drains", from.path());
        } catch (IOException e) {
            log.warn("{}; the previous synedge may go on accepting on the same sockets until it stops",
                    e.getMessage());
        }
    }

    /**
     * SIGTERM drains, SIGINT (or a second SIGTERM) cuts. The drain runs on a thread of its own:
     * a signal handler must return, and a second signal must reach {@link ProxyServer#cutNow}.
     */
    private static void stopOnSignals(ProxyServer server) {
        stopIgnoring(Signals.SIGTERM, "SIGTERM", "it drains synedge all the same");
        stopIgnoring(Signals.SIGINT, "SIGINT", "it stops synedge all the same");
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                Thread.ofPlatform().name("synedge-drain").start(
                        () -> server.drain(server.config().lifecycle().drainTimeout()));
            } else {
                server.cutNow();
            }
        };
        Signal.handle(new Signal("TERM"), signal -> {
            log.info(stopping.get() ? "SIGTERM again: cutting what is in flight"
                    : "SIGTERM: draining (at most {}; SIGTERM again or SIGINT cuts what is in flight)",
                    server.config().lifecycle().drainTimeout());
            stop.run();
        });
        Signal.handle(new Signal("INT"), signal -> {
            log.info("SIGINT: stopping now, cutting what is in flight");
            server.cutNow();
            stop.run();
        });
    }

    /** SIGHUP reloads (a terminal hangup then reloads, which is harmless). */
    private static void listenForReload(ProxyServer server, Path file) {
        stopIgnoring(Signals.SIGHUP, "SIGHUP", "it reloads the configuration all the same");
        Signal.handle(new Signal("HUP"), signal -> reload(server, file));
    }

    /**
     * A signal the process inherited ignored (nohup ignores SIGHUP; a shell without job control
     * ignores SIGINT in what it starts with {@code &}) would stay ignored without a word, the
     * JVM installing no handler: it is made to take its default action first, which the handler
     * then replaces, as nginx and HAProxy install theirs whatever they inherited.
     */
    private static void stopIgnoring(int signal, String name, String consequence) {
        try {
            if (Signals.stopIgnoring(signal)) {
                log.info("{} was ignored when synedge started (nohup, or started with & by a script?); {}", name,
                        consequence);
            }
        } catch (NativeException e) {
            log.warn("{} may be ignored: {}", name, e.getMessage());
        }
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

    /**
     * Runs on the signal thread, never on an event loop: loading resolves host names. Says
     * "loaded" only when everything in the file is in effect.
     */
    private static void reload(ProxyServer server, Path file) {
        java.io.StringWriter problems = new java.io.StringWriter();
        ProxyConfig next = ConfigFiles.load(file, new PrintWriter(problems, true));
        if (next == null) {
            log.error("reload: {}; the running configuration stays", problems.toString().strip());
            return;
        }
        ProxyServer.ReloadReport report;
        try {
            report = server.reload(next);
        } catch (IOException | RuntimeException e) {
            log.error("reload: {} not applied: {}; the running configuration stays", file, e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        report.applied().forEach(change -> log.info("reload: {}", change));
        if (report.notApplied().isEmpty()) {
            log.info("reload: {} loaded ({} routes, {} clusters)", file, next.routes().size(), next.clusters().size());
        } else {
            report.notApplied().forEach(left -> log.warn("reload: not applied: {}", left));
            log.warn("reload: {} applied except {} setting(s) listed above", file, report.notApplied().size());
        }
    }

    private static void closeAdmin(AdminServer admin) {
        if (admin != null) {
            admin.close();
        }
    }
}
