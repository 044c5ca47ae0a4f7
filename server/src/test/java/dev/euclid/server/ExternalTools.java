package dev.euclid.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The third-party clients' runtimes, installed on first use under target/ (never into the source
 * tree or a user cache): Python's {@code openai} from the machine's local wheel store, npm's
 * {@code openai} from the registry. Where a prerequisite is missing the test is skipped with a
 * message, except on CI ({@code CI=true}), where it fails.
 */
final class ExternalTools {
    static final Path WHEELS = Path.of("/opt/pypi/files");
    static final String PYTHON_OPENAI = "openai==3.22.1";
    static final String NPM_OPENAI = "openai@6.49.0";

    private ExternalTools() {}

    /** A Python with the openai client: target/openai-venv, created and filled once. */
    static Path pythonWithOpenAi() {
        if (!Files.isDirectory(WHEELS)) missing("the local wheel store " + WHEELS + " (Python's openai client comes from it)");
        Path venv = Path.of("target/openai-venv").toAbsolutePath();
        Path python = venv.resolve("bin/python");
        Path marker = venv.resolve(".openai-installed");
        if (!Files.exists(marker)) {
            run(List.of("python3", "-m", "venv", "--clear", venv.toString()), 300);
            run(List.of(python.toString(), "-m", "pip", "install", "-q", "--no-index", "--find-links", WHEELS.toString(),
                    PYTHON_OPENAI), 600);
            write(marker);
        }
        return python;
    }

    /** node_modules with the openai client: target/npm-openai. */
    static Path nodeModulesWithOpenAi() {
        Path prefix = Path.of("target/npm-openai").toAbsolutePath();
        Path marker = prefix.resolve(".openai-installed");
        if (!Files.exists(marker)) {
            requireCommand("node");
            requireCommand("npm");
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(), NPM_OPENAI), 600);
            write(marker);
        }
        return prefix.resolve("node_modules");
    }

    /** Runs a command; returns its stdout, failing with its output if it exits non-zero. */
    static String run(List<String> command, int timeoutSeconds) {
        return run(new ProcessBuilder(command), timeoutSeconds);
    }

    static String run(ProcessBuilder pb, int timeoutSeconds) {
        try {
            Path err = Files.createTempFile("euclid-tool", ".err");
            try {
                Process p = pb.redirectError(err.toFile()).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError(pb.command() + " did not finish in " + timeoutSeconds + " s");
                }
                String stdout = new String(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new AssertionError(pb.command() + " exited " + p.exitValue() + "\nstdout: " + stdout + "\nstderr: "
                            + Files.readString(err));
                }
                return stdout;
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void requireCommand(String name) {
        try {
            Process p = new ProcessBuilder(name, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) return;
        } catch (IOException e) {
            // not installed: reported below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        missing("the command '" + name + "'");
    }

    private static void missing(String what) {
        String message = "skipped: " + what + " is not available on this machine";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(message + " (CI=true: required)");
        Assumptions.abort(message);
    }

    private static void write(Path marker) {
        try {
            Files.writeString(marker, "ok\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
