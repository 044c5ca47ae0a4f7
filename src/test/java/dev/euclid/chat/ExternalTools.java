package dev.euclid.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Runs the command-line tools the reference tests need (python3, npm, tar), failing or skipping when absent. */
final class ExternalTools {
    private ExternalTools() {}

    static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Fails the test on CI (a missing tool must not pass silently there), skips it elsewhere. */
    static <T> T unavailable(String message) {
        if (onCi()) return Assertions.fail(message);
        return Assumptions.abort(message);
    }

    /** Runs a command to completion; its output (stdout and stderr) is returned, a failure throws with it. */
    static String run(List<String> command, Path workingDirectory, long timeoutSeconds) {
        try {
            Path log = Files.createTempFile("euclid-chat-tool", ".log");
            try {
                Process p = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
                }
                String output = Files.readString(log, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n"
                            + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Whether a command can be started at all (e.g. "npm --version"). */
    static boolean available(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
