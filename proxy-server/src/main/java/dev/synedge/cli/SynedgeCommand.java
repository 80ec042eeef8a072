package dev.synedge.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code synedge}: the top-level command bin/synedge runs. */
@Command(name = "synedge", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Edge reverse proxy for HTTP/1.1 with TCP Fast Open on both legs.",
        subcommands = {RunCommand.class, CheckCommand.class, DemoCommand.class, DoctorCommand.class})
public final class SynedgeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SynedgeCommand()).execute(args));
    }
}
