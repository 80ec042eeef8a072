package dev.synedge.cli;

import dev.synedge.accesslog.AccessRecord;
import dev.synedge.accesslog.SynData;
import dev.synedge.config.ClusterConfig;
import dev.synedge.config.ProxyConfig;
import dev.synedge.demo.DemoOrigin;
import dev.synedge.listener.CannotListen;
import dev.synedge.net.AddressText;
import dev.synedge.server.ProxyServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synedge demo}: the proxy with conf/synedge.conf in front of an embedded demo origin,
 * printing curl commands to try and, for every request, whether each leg's SYN carried data.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Run synedge with conf/synedge.conf in front of an embedded demo origin.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "configuration (default: conf/synedge.conf)")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = ConfigFiles.resolve(config);
        ProxyConfig loaded = ConfigFiles.load(file, err);
        if (loaded == null) {
            return 2;
        }
        ClusterConfig cluster = loaded.clusters().get("demo-origin");
        if (cluster == null) {
            err.println("synedge demo: " + file + " has no cluster demo-origin to put the demo origin behind");
            return 2;
        }
        InetSocketAddress originAddress = cluster.endpoints().get(0).address();
        try (DemoOrigin origin = DemoOrigin.start(originAddress);
             ProxyServer proxy = ProxyServer.start(loaded, record -> show(out, record))) {
            InetSocketAddress listen = proxy.listeners().get(0).address();
            String base = "http://" + (listen.getAddress().isAnyLocalAddress()
                    ? "127.0.0.1:" + listen.getPort() : AddressText.of(listen));
            out.println("synedge demo: proxy on " + AddressText.of(listen) + " -> demo origin on "
                    + AddressText.of(origin.address()) + " (config " + file + ")");
            out.println();
            out.println("Try, in another terminal:");
            out.println("  curl -s " + base + "/hello");
            out.println("  curl -s --tcp-fastopen " + base + "/hello     # twice: the second request rides in the SYN");
            out.println("  curl -s -o /dev/null -w '%{http_code} %{size_download}\\n' " + base + "/1m");
            out.println("  curl -s -X POST --data-binary @/etc/hostname " + base + "/echo");
            out.println();
            out.println("Each request below says whether its SYN carried data on each leg. Ctrl-C stops.");
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "synedge-demo-stop"));
            stop.await();
        } catch (DemoOrigin.CannotListen e) {
            err.println(e.addressInUse()
                    ? PortInUse.line("synedge demo", "the demo origin", e.address(), "cluster demo-origin", file)
                    : "synedge demo: the demo origin " + e.getMessage()
                            + "; give cluster demo-origin another endpoint in " + file);
            return 1;
        } catch (CannotListen e) {
            err.println(PortInUse.listener("synedge demo", e, file));
            return 1;
        } catch (IOException e) {
            err.println("synedge demo: not started: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static void show(PrintWriter out, AccessRecord r) {
        out.printf("%s %s -> %d  client SYN data: %s | upstream %s %s, SYN data: %s%n",
                r.method(), new String(r.target(), StandardCharsets.ISO_8859_1), r.status(),
                word(r.clientSynData()), r.upstreamConnection().name().toLowerCase(java.util.Locale.ROOT),
                r.endpoint() == null ? "-" : r.endpoint(), word(r.upstreamSynData()));
        out.flush();
    }

    private static String word(SynData data) {
        return switch (data) {
            case YES -> "yes";
            case NO -> "no";
            case UNKNOWN -> "n/a";
        };
    }
}
