package dev.euclid.cli;

import dev.euclid.Activations;
import dev.euclid.Device;
import dev.euclid.KvType;
import dev.euclid.Precision;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code euclid-cli.jar}. */
@Command(name = "euclid", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Fast LLM inference on the JVM.",
        subcommands = {GenerateCommand.class, BuildCommand.class, BenchCommand.class, ServeCommand.class,
                SyntheticCommand.class, TrainDrafterCommand.class, ChatTemplateCommand.class, TokenizeCommand.class,
                SolveCommand.class, SandboxCommand.class, QualityCommand.class})
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
        // Parsed with the command line, so a bad --weights, --kv-dtype, --activations or --device is a usage error naming the flag.
        cli.registerConverter(Precision.class, s -> convert(Precision::parse, s));
        cli.registerConverter(KvType.class, s -> convert(KvType::parse, s));
        cli.registerConverter(Activations.class, s -> convert(Activations::parse, s));
        cli.registerConverter(Device.class, s -> convert(Device::parse, s));
        // Bad input is the user's to fix: one line saying what is wrong, not a usage dump or a stack trace.
        cli.setParameterExceptionHandler((e, args) -> ErrorReport.usage(e, e.getCommandLine().getErr()));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> ErrorReport.failure(e, cmd, cmd.getErr()));
        return cli;
    }

    private static <T> T convert(Function<String, T> parse, String value) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
