package dev.euclid.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * One CLI invocation as a user runs it, in-process: arguments in, exit code, stdout and stderr out
 * (stderr holds both what picocli's handlers print and what commands print to System.err, in order).
 */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        PrintStream savedOut = System.out, savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
            System.setErr(errStream);
            int code = Main.commandLine().setErr(new PrintWriter(errStream, true)).execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
