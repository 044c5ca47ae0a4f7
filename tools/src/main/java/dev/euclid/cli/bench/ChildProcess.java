package dev.euclid.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one peer measurement as a child process (llama.cpp in a child JVM, or a native llama-bench):
 * its standard output line by line to a consumer as it comes, its standard error into a temporary
 * file read at the end (a full pipe would block the child), and never a child left running.
 */
final class ChildProcess {
    /** How a child ended: its exit status and its standard error, line by line. */
    record Ended(int exitCode, List<String> stderr) {
        /** The last few lines of standard error, for an error message. */
        String tail() {
            return String.join(" | ", stderr.subList(Math.max(0, stderr.size() - 5), stderr.size()));
        }
    }

    private ChildProcess() {}

    static Ended run(List<String> command, Consumer<String> stdoutLine, long timeoutMinutes) {
        Path stderr = null;
        Process child = null;
        try {
            stderr = Files.createTempFile("euclid-peer", ".log");
            child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            child.getOutputStream().close();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) stdoutLine.accept(line);
            }
            if (!child.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                throw new IllegalStateException(command.get(0) + " did not exit within " + timeoutMinutes + " minutes");
            }
            return new Ended(child.exitValue(), Files.readAllLines(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + command.get(0) + " ran", e);
        } finally {
            if (child != null && child.isAlive()) child.destroyForcibly();
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
