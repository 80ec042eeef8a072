package dev.synedge.cli;

import dev.synedge.doctor.Check;
import dev.synedge.doctor.Doctor;
import dev.synedge.doctor.Needs;
import dev.synedge.net.KernelState;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code synedge doctor}: prints what this host supports; exits 1 when a needed feature cannot work. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Report what this host supports for synedge and how to fix what is missing.")
final class DoctorCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int exit = report(Doctor.examine(Needs.DEFAULT), out);
        out.flush();
        return exit;
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
