package dev.euclid.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code euclid-cli.jar}. */
@Command(name = "euclid", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fast LLM inference on the JVM.",
        subcommands = {GenerateCommand.class, BuildCommand.class, BenchCommand.class, ServeCommand.class,
                SyntheticCommand.class, TrainDrafterCommand.class})
public final class Main {
    public static void main(String[] args) {
        // The CLI's stdout carries generated text or JSON; library logs go to stderr, warnings only by default.
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("euclid.log", "warn"));
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, also used by tests to run commands in-process. */
    static CommandLine commandLine() {
        System.setProperty("euclid.shapes", String.join(", ", dev.euclid.synthetic.ModelShape.presetNames()));
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        // Bad input is the user's to fix: print what is wrong, not a stack trace (-Deuclid.debug=true shows it).
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("error: " + e.getMessage());
            if (Boolean.getBoolean("euclid.debug")) e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cli;
    }
}
