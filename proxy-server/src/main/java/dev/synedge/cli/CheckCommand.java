package dev.synedge.cli;

import dev.synedge.config.ProxyConfig;
import dev.synedge.net.AddressText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code synedge check [config]}: loads a configuration as {@code run} would and starts nothing,
 * as {@code nginx -t} and {@code haproxy -c} do, so that a file can be checked before a restart
 * or a SIGHUP. Exit 0 with a one-line summary, or 2 with every problem.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Check a configuration file without starting anything (default: conf/synedge.conf): "
                + "exit 0 with a summary when it is valid, 2 listing every problem when not.")
final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "HOCON configuration file")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path file = ConfigFiles.resolve(config);
        ProxyConfig loaded = ConfigFiles.load(file, spec.commandLine().getErr(),
                "synedge check: " + file + " is not valid:");
        if (loaded == null) {
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("synedge check: " + file + " is valid: " + summary(loaded));
        out.flush();
        return 0;
    }

    /** E.g. {@code 1 listener (main on 0.0.0.0:8080), 3 routes, 2 clusters with 4 endpoints}. */
    private static String summary(ProxyConfig config) {
        String listeners = config.listeners().stream()
                .map(l -> l.name() + " on " + AddressText.of(l.address()))
                .collect(Collectors.joining(", ", " (", ")"));
        int endpoints = config.clusters().values().stream().mapToInt(c -> c.endpoints().size()).sum();
        return count(config.listeners().size(), "listener") + listeners + ", "
                + count(config.routes().size(), "route") + ", "
                + count(config.clusters().size(), "cluster") + " with " + count(endpoints, "endpoint");
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
