package dev.euclid.bench;

import dev.euclid.synthetic.SyntheticModels;
import java.nio.file.Files;
import java.nio.file.Path;

/** Maps the {@code model} parameter shared by all benchmarks to files on disk. */
final class BenchModels {
    /** Same name in every benchmark, so one {@code -p model=stories260K} selects comparable runs. */
    static final String STORIES = "stories260K";

    /** Short prompt: decode dominates, yet both engines see a real (BOS + text) prefill. */
    static final String PROMPT = "Once upon a time";

    /** Tokens generated per benchmark invocation; the unit of the reported ops/s. */
    static final int NEW_TOKENS = 64;

    private BenchModels() {}

    /** The checked-out shared/ folder: -Deuclid.shared, else the repo's sibling seen from bench/. */
    static Path shared() {
        Path dir = Path.of(System.getProperty("euclid.shared", "../../shared"));
        if (!Files.isDirectory(dir.resolve("models"))) {
            throw new IllegalStateException("no shared models under " + dir.toAbsolutePath().normalize()
                    + "; run from bench/ or pass -Deuclid.shared=/path/to/shared");
        }
        return dir;
    }

    /** What Euclid opens: a synthetic name, stories260K (llama2.c), or any path Engine.open accepts. */
    static Path euclidModel(String name) {
        if (SyntheticModels.isSyntheticName(name)) return SyntheticModels.resolve(name);
        if (name.equals(STORIES)) return shared().resolve("models/stories260K/stories260K.bin");
        return Path.of(name);
    }

    /** What llama.cpp opens: the same stories260K weights as GGUF, or a .gguf path. */
    static Path ggufModel(String name) {
        if (name.equals(STORIES)) return shared().resolve("models/stories260K-gguf/stories260K-f32.gguf");
        if (SyntheticModels.isSyntheticName(name)) {
            throw new IllegalArgumentException("llama.cpp has no GGUF of " + name + "; use stories260K or a .gguf path");
        }
        return Path.of(name);
    }
}
