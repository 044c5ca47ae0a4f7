package dev.euclid.solver.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The interpreter the fork server runs on: its real executable (not a pyenv or venv shim, which
 * would need the environment the sandbox withholds) and the directories it loads code from, which
 * the sandbox must keep visible when it hides the user's home.
 */
public record PythonInstallation(Path executable, List<Path> roots) {
    private static final String PROBE =
            "import json, sys; print(json.dumps([sys.executable, sys.prefix, sys.base_prefix, sys.exec_prefix]))";

    public PythonInstallation {
        roots = List.copyOf(roots);
    }

    /** Resolves {@code command} ("python3", or a path) by asking it, in the caller's environment, where it lives. */
    public static PythonInstallation find(String command) {
        List<String> out;
        try {
            Process probe = new ProcessBuilder(command, "-c", PROBE).redirectErrorStream(true).start();
            probe.getOutputStream().close();
            String text = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                throw new IllegalStateException("python interpreter '" + command + "' failed: " + text);
            }
            JsonNode paths = new ObjectMapper().readTree(text.substring(text.lastIndexOf('\n') + 1));
            out = new ArrayList<>();
            paths.forEach(p -> out.add(p.asText()));
        } catch (IOException e) {
            throw new IllegalStateException("no python interpreter '" + command + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing python interpreter '" + command + "'", e);
        }
        Path executable = Path.of(out.get(0)).toAbsolutePath();
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("python interpreter '" + command + "' reports a missing executable " + executable);
        }
        Set<Path> roots = new LinkedHashSet<>();
        for (String prefix : out.subList(1, out.size())) roots.add(Path.of(prefix).toAbsolutePath().normalize());
        return new PythonInstallation(executable, List.copyOf(roots));
    }
}
