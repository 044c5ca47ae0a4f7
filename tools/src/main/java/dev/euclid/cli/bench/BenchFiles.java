package dev.euclid.cli.bench;

import dev.euclid.EngineBuilder;
import dev.euclid.Precision;
import dev.euclid.internal.format.GgufFile;
import dev.euclid.synthetic.GgufWriter;
import dev.euclid.synthetic.LlamaQuantize;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.synthetic.SyntheticModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The model files benchmarks compare, built once into a cache and reused (by {@code euclid bench
 * --compare} and by the JMH benchmarks in bench/): Euclid engine files of a synthetic shape in each
 * precision, converted from the cached F16 Hugging Face folder of {@code synthetic:SHAPE}, and GGUF
 * files (F16, Q8_0, Q4_0) written from the same seed, for llama.cpp (and Q4_K_M quantised from the F16
 * one by llama.cpp's own llama-quantize).
 */
public final class BenchFiles {
    /**
     * Part of every cached engine file's name. Raised whenever a build stores some precision
     * differently, so that a file an older build left in the cache is rebuilt (and deleted) rather
     * than measured. 2: NVFP4 and MXFP4 keep their embedding and LM head in INT8 (FP8 before).
     */
    static final int ENGINE_LAYOUT = 2;

    private BenchFiles() {}

    /** {@code <synthetic model cache>/bench}, i.e. {@code ~/.cache/euclid/synthetic/bench} unless -Deuclid.cache. */
    public static Path defaultCache() {
        return SyntheticModels.cacheRoot().resolve("bench");
    }

    /**
     * The engine file of {@code shape} in {@code precision}, built first if the cache lacks it: Q4_0
     * from the Q4_0 GGUF llama.cpp runs (blocks copied, so both run the same weights), the others
     * from the F16 Hugging Face folder.
     */
    public static Path engineFile(Path cache, String shape, Precision precision) {
        Path file = enginePath(cache, shape, precision);
        if (Files.isRegularFile(file)) return file;
        createParent(file);
        deleteOlderLayouts(cache, engineStem(shape, precision.wireName()));
        Path source = precision == Precision.Q4_0 ? gguf(cache, shape, GgufWriter.WeightType.Q4_0)
                : SyntheticModels.resolve(SyntheticModels.PREFIX + shape);
        // EngineBuilder writes a temporary file and renames it into place.
        return EngineBuilder.from(source).weights(precision).build(file);
    }

    /**
     * The engine file in {@code precision} Euclid builds from llama.cpp's {@code type} file of
     * {@code shape} ({@link #llamaQuantized}), built first if the cache lacks it. Under a Q4 precision
     * the file's Q4 blocks are kept as such and its other types become INT8 (MatrixStorage), as they
     * do when a user opens that file.
     */
    public static Path llamaEngineFile(Path cache, String shape, String type, Precision precision, Path llamaBin) {
        Path file = llamaEnginePath(cache, shape, type);
        if (Files.isRegularFile(file)) return file;
        deleteOlderLayouts(cache, engineStem(shape, type));
        return EngineBuilder.from(llamaQuantized(cache, shape, type, llamaBin)).weights(precision).build(file);
    }

    /** The GGUF file of {@code shape} with {@code type} matrices, written first if the cache lacks it. */
    public static Path gguf(Path cache, String shape, GgufWriter.WeightType type) {
        Path file = ggufPath(cache, shape, type);
        if (Files.isRegularFile(file)) return file;
        createParent(file);
        try {
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                GgufWriter.write(tmp, new SyntheticModel(ModelShape.named(shape), SyntheticModels.SEED), type);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The GGUF file of {@code shape} that llama.cpp's {@code llama-quantize} (in the native build folder
     * {@code llamaBin}) makes of the F16 one with {@code type} ("Q4_K_M"), made first if the cache lacks it.
     */
    public static Path llamaQuantized(Path cache, String shape, String type, Path llamaBin) {
        Path file = ggufPath(cache, shape, type);
        if (Files.isRegularFile(file)) return file;
        Path f16 = gguf(cache, shape, GgufWriter.WeightType.F16);
        try {
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try {
                LlamaQuantize.quantize(llamaBin, f16, tmp, type, false, Runtime.getRuntime().availableProcessors(), cache);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + file + " with llama-quantize", e);
        }
    }

    /**
     * The fixed prompt benchmarks give both engines, as token ids (used as is: no BOS, no
     * tokenizer): ids spread over the vocabulary. Speed does not depend on which ids they are.
     */
    public static int[] promptTokens(int length, int vocab) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = (int) Math.floorMod(i * 2654435761L + 7, (long) vocab);
        return ids;
    }

    static Path enginePath(Path cache, String shape, Precision precision) {
        return engineNamed(cache, engineStem(shape, precision.wireName()));
    }

    /** Where {@link #llamaEngineFile} keeps the engine file of llama.cpp's {@code type} file: named after that type. */
    static Path llamaEnginePath(Path cache, String shape, String type) {
        return engineNamed(cache, engineStem(shape, type));
    }

    private static Path engineNamed(Path cache, String stem) {
        return cache.resolve(stem + ".v" + ENGINE_LAYOUT + ".euclid");
    }

    private static String engineStem(String shape, String what) {
        return shape + "-seed" + SyntheticModels.SEED + "-" + what;
    }

    /** Earlier builds' files of the same engine: unnumbered (layout 1) or of a lower layout. */
    private static void deleteOlderLayouts(Path cache, String stem) {
        try {
            Files.deleteIfExists(cache.resolve(stem + ".euclid"));
            for (int layout = 2; layout < ENGINE_LAYOUT; layout++) {
                Files.deleteIfExists(cache.resolve(stem + ".v" + layout + ".euclid"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete an outdated engine file in " + cache, e);
        }
    }

    static Path ggufPath(Path cache, String shape, GgufWriter.WeightType type) {
        return ggufPath(cache, shape, type.name());
    }

    static Path ggufPath(Path cache, String shape, String type) {
        return cache.resolve(shape + "-seed" + SyntheticModels.SEED + "-" + type + ".gguf");
    }

    /**
     * Weight bytes llama.cpp reads per decoded token, counted as {@code Engine.weightBytesPerToken}
     * counts Euclid's: every tensor but the token embedding (one row of it is looked up), plus the
     * embedding again when it doubles as the output matrix (no {@code output.weight}).
     */
    public static long ggufBytesPerToken(Path gguf) {
        Map<String, GgufFile.Tensor> tensors = GgufFile.open(gguf).tensors();
        long bytes = 0;
        for (GgufFile.Tensor t : tensors.values()) {
            if (!t.name().equals("token_embd.weight")) bytes += t.byteLength();
        }
        if (!tensors.containsKey("output.weight") && tensors.containsKey("token_embd.weight")) {
            bytes += tensors.get("token_embd.weight").byteLength();
        }
        return bytes;
    }

    private static void createParent(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
    }
}
