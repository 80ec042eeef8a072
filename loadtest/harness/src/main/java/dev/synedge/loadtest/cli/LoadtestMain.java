package dev.synedge.loadtest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code synedge-loadtest}: the harness's entry point, with {@code bench} and {@code loadgen}. */
@Command(name = "synedge-loadtest", mixinStandardHelpOptions = true,
        description = "synedge's load generator and comparison runner (see loadtest/README.md).",
        subcommands = {BenchCommand.class, LoadgenCommand.class})
public final class LoadtestMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/synedge/loadtest/cli/logback.xml");
        }
        int code = new CommandLine(new LoadtestMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
