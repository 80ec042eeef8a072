package dev.synedge.cli;

import dev.synedge.config.ClusterConfig;
import dev.synedge.config.ListenerConfig;
import dev.synedge.config.ProxyConfig;
import dev.synedge.doctor.Check;
import dev.synedge.doctor.Doctor;
import dev.synedge.doctor.Needs;
import dev.synedge.net.KernelState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code synedge doctor}: prints what this host supports; exits 1 when a needed feature cannot work. */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Report what this host supports for synedge and how to fix what is missing. "
                + "With a configuration file, what that configuration needs decides the exit code.")
final class DoctorCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "configuration whose needs to check (default: Fast Open on both legs)")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Needs needs = Needs.DEFAULT;
        if (config != null) {
            ProxyConfig loaded = ConfigFiles.load(config, spec.commandLine().getErr());
            if (loaded == null) {
                return 2;
            }
            needs = needsOf(loaded);
            out.println("Checking what " + config + " needs.");
        }
        int exit = report(Doctor.examine(needs), out);
        out.flush();
        return exit;
    }

    /** Fast Open server side for fastopen listeners, client side for fastopen clusters, and so on. */
    static Needs needsOf(ProxyConfig config) {
        boolean server = config.listeners().stream().anyMatch(l -> l.fastopenQueue() > 0);
        boolean client = config.clusters().values().stream().anyMatch(ClusterConfig::fastopen);
        boolean mptcp = config.listeners().stream().anyMatch(ListenerConfig::mptcp)
                || config.clusters().values().stream().anyMatch(ClusterConfig::mptcp);
        boolean zeroCopy = config.clusters().values().stream()
                .anyMatch(c -> c.responseBody() == ClusterConfig.ResponseBody.ZERO_COPY);
        return new Needs(server, client, mptcp, zeroCopy);
    }

    static int report(List<Check> checks, PrintWriter out) {
        out.println("synedge doctor: Linux " + KernelState.release() + ", " + System.getProperty("os.arch"));
        out.println();
        for (Check check : checks) {
            out.printf("[%s] %s%s%n", label(check.status()), check.topic(),
                    check.required() ? "" : " (optional)");
            check.details().forEach(line -> out.println("        " + line));
            if (!check.fix().isEmpty()) {
                out.println("        fix: " + check.fix());
            }
        }
        out.println();
        long blocking = checks.stream().filter(Check::blocking).count();
        if (blocking == 0) {
            out.println("Everything synedge needs here works.");
            return 0;
        }
        out.println(blocking + " needed feature(s) cannot work on this host; see the fixes above.");
        return 1;
    }

    private static String label(Check.Status status) {
        return switch (status) {
            case OK -> "  ok   ";
            case WARN -> " note  ";
            case MISSING -> "MISSING";
        };
    }
}
