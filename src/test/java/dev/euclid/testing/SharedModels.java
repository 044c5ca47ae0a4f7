package dev.euclid.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared test models ({@code <shared>/models}) and the native llama.cpp peer build
 * ({@code <shared>/peers/llama.cpp/bin}). The shared folder comes from the
 * system property {@code euclid.shared}, else {@code ../shared} relative to the working
 * directory, else {@code /work/shared}. Missing models or binaries skip the test, except on CI
 * ({@code CI=true}) where they fail it, so a broken checkout cannot pass silently.
 */
public final class SharedModels {
    private SharedModels() {
    }

    public static Path models() {
        String property = System.getProperty("euclid.shared");
        Path[] candidates = property != null
                ? new Path[] {Path.of(property), Path.of("../shared"), Path.of("/work/shared")}
                : new Path[] {Path.of("../shared"), Path.of("/work/shared")};
        for (Path shared : candidates) {
            Path models = shared.resolve("models");
            if (Files.isDirectory(models)) {
                return models.toAbsolutePath().normalize();
            }
        }
        return missing("shared models not found (tried -Deuclid.shared, ../shared, /work/shared)");
    }

    /** {@code binary} ("llama-bench", "llama-quantize") of the native llama.cpp peer build in {@code <shared>/peers}. */
    public static Path llamaPeer(String binary) {
        Path path = models().getParent().resolve("peers/llama.cpp/bin").resolve(binary);
        return Files.isExecutable(path) ? path : missing("no native " + binary + " at " + path);
    }

    private static Path missing(String message) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return Assertions.fail(message);
        }
        return Assumptions.abort(message);
    }
}
