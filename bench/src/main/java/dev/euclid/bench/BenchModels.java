package dev.euclid.bench;

import dev.euclid.EngineBuilder;
import dev.euclid.Precision;
import dev.euclid.cli.bench.BenchFiles;
import dev.euclid.synthetic.GgufWriter;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModels;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Maps the {@code model} parameter shared by all benchmarks to files on disk. Engine files and GGUF
 * files are built on first use into the same cache {@code euclid bench --compare} uses
 * ({@code ~/.cache/euclid/synthetic/bench}, or {@code -Deuclid.cache=DIR}/bench), so only the first
 * trial of a shape pays for the conversion, outside the measurement.
 */
final class BenchModels {
    /** Same name in every benchmark, so one {@code -p model=stories260K} selects comparable runs. */
    static final String STORIES = "stories260K";

    /** Decode: a one-token prompt, then this many tokens, so every forward pass is a one-token step. */
    static final int DECODE_TOKENS = 64;

    /** Prefill: a prompt of this many token ids, then one token (time to first token). */
    static final int PREFILL_TOKENS = 128;

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

    /**
     * What Euclid opens as a checkpoint (converted at open with {@code EngineOptions.withWeights}):
     * a synthetic shape's cached HF folder, stories260K (llama2.c), or any path Engine.open accepts.
     */
    static Path euclidModel(String name) {
        if (SyntheticModels.isSyntheticName(name)) return SyntheticModels.resolve(name);
        if (name.equals(STORIES)) return shared().resolve("models/stories260K/stories260K.bin");
        return Path.of(name);
    }

    /** The engine file Euclid opens for {@code model} in {@code weights}, built into the cache on first use. */
    static Path engineFile(String model, Precision weights) {
        if (SyntheticModels.isSyntheticName(model)) {
            return BenchFiles.engineFile(BenchFiles.defaultCache(), shape(model), weights);
        }
        Path checkpoint = model.equals(STORIES) ? shared().resolve("models/stories260K/stories260K.bin") : Path.of(model);
        if (checkpoint.toString().endsWith(".euclid")) return checkpoint;
        Path file = BenchFiles.defaultCache().resolve(checkpoint.getFileName() + "-" + weights.wireName() + ".euclid");
        return Files.isRegularFile(file) ? file : EngineBuilder.from(checkpoint).weights(weights).build(file);
    }

    /**
     * The GGUF file llama.cpp opens: a synthetic shape written with {@code type} matrices (F16 or
     * Q8_0), stories260K's F32 GGUF (type F32), or a .gguf path (type ignored).
     */
    static Path ggufFile(String model, String type) {
        if (SyntheticModels.isSyntheticName(model)) {
            return BenchFiles.gguf(BenchFiles.defaultCache(), shape(model), GgufWriter.WeightType.valueOf(type));
        }
        if (model.equals(STORIES)) {
            if (!type.equals("F32")) throw new IllegalArgumentException("stories260K exists as F32 GGUF only: use -p gguf=F32");
            return shared().resolve("models/stories260K-gguf/stories260K-f32.gguf");
        }
        return Path.of(model);
    }

    /** Vocabulary size, for prompts of token ids. */
    static int vocab(String model) {
        if (SyntheticModels.isSyntheticName(model)) return ModelShape.named(shape(model)).vocab();
        if (model.equals(STORIES)) return 512;
        throw new IllegalArgumentException("vocabulary of " + model + " unknown; use a synthetic shape or stories260K");
    }

    static String shape(String model) {
        return model.substring(SyntheticModels.PREFIX.length());
    }
}
