package dev.euclid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The benchmarks jar's entry point: JMH's own command line and output, then {@link Summary}'s
 * side-by-side table of Euclid and llama.cpp (ratios, and decode's share of the memory bandwidth)
 * from the same run. {@code -Deuclid.summary=FILE} also writes that table to FILE.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws IOException {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line:\n " + e.getMessage());
            System.exit(1);
            return;
        }
        if (cmd.shouldHelp() || cmd.shouldList() || cmd.shouldListWithParams() || cmd.shouldListProfilers()
                || cmd.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args); // listing and help are JMH's
            return;
        }
        Collection<RunResult> results;
        try {
            results = new Runner(cmd).run();
        } catch (RunnerException e) {
            System.err.println("ERROR: " + e.getMessage());
            e.printStackTrace(System.err);
            System.exit(1);
            return;
        }
        String summary = Summary.markdown(results);
        System.out.println();
        System.out.println(summary);
        String file = System.getProperty("euclid.summary");
        if (file != null) Files.writeString(Path.of(file), summary);
        System.exit(0);
    }
}
