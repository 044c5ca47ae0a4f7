package dev.euclid.internal;

import dev.euclid.Activations;
import dev.euclid.EngineOptions;
import dev.euclid.ModelFormatException;
import dev.euclid.Precision;
import dev.euclid.internal.format.GgufReader;
import dev.euclid.internal.format.HfFolderReader;
import dev.euclid.internal.format.Llama2cReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Recognises a model's format from the path and its first bytes, then reads and loads it. */
public final class ModelLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);
    private static final String ENGINE_MAGIC = "EUCLIDEF";
    private static final String CAP_OPTIONS = "EngineOptions.withMaxWeightBytes, default -D" + EngineOptions.MAX_WEIGHT_BYTES_PROPERTY;

    private ModelLoader() {}

    /** A loaded native model and the description it came from (its tensor list is empty for engine files). */
    public record Loaded(NativeModel model, ModelSpec spec) {}

    /** Opens a model file or folder as {@code options} say, its matrix products taking {@code options.activations()}. */
    public static Loaded open(Path path, EngineOptions options) {
        Held held = load(path, options);
        Loaded loaded = held.loaded();
        try {
            // INT8 activations copy matrices (about as many bytes again): the cap covers the copies too.
            long copies = options.activations() == Activations.INT8 ? loaded.model().int8CopyBytes() : 0;
            if (copies > 0 && held.weightBytes() + copies > options.maxWeightBytes()) {
                throw new ModelFormatException(path + ": the model's weights need " + held.weightBytes() + " bytes and"
                        + " INT8 activations' 16-row copies of its matrices " + copies + " more, together more than the "
                        + options.maxWeightBytes() + " allowed by maxWeightBytes (" + CAP_OPTIONS + ")");
            }
            loaded.model().setActivations(options.activations());
        } catch (RuntimeException e) {
            loaded.model().close();  // e.g. no memory for the INT8 activations' 16-row copies
            throw e;
        }
        String unhelped = activationsWithoutKernel(loaded.model().weights(), options.activations());
        if (unhelped != null) LOG.warn("{}: {}", path, unhelped);
        String faster = fasterActivations(loaded.model().weights(), options.activations());
        if (faster != null) LOG.info("{}: {}", path, faster);
        return loaded;
    }

    private static final Set<Precision> FOUR_BIT = EnumSet.of(Precision.Q4_0, Precision.Q4_1, Precision.NVFP4, Precision.MXFP4);

    /**
     * A hint where the default FP32 activations leave most of a 4-bit format's speed unused (null
     * elsewhere): its FP32 kernels widen every weight to a float vector, which is vector work rather
     * than memory traffic, while its int8 kernel (every CPU has one for these formats) multiplies 32
     * weights per instruction and gets near the memory wall with AVX-512 VNNI or AVX2 (README, "Every
     * precision at a glance"). FP32 stays the default so that numbers never change silently.
     */
    static String fasterActivations(Precision weights, Activations activations) {
        if (!FOUR_BIT.contains(weights) || activations != Activations.FP32) return null;
        return weights.wireName() + " weights decode about 1.3-4x faster and prefill 2-4x faster with INT8 activations"
                + " (--activations int8, EngineOptions.withActivations(Activations.INT8)), at a small cost in accuracy";
    }

    /**
     * Why these activations will not make products with these weights faster (null where they
     * do): the formats without a kernel for them on this CPU (native activations_kernel: a CPU
     * without AVX2 or AVX-512 BF16 lacks some) multiply the rounded activations in FP32, the
     * quantised model's numbers at FP32's speed.
     */
    static String activationsWithoutKernel(Precision weights, Activations activations) {
        boolean int8Kernel = hasInt8Kernel(weights), bf16Kernel = hasBf16Kernel(weights);
        if (activations == Activations.INT8 && !int8Kernel) {
            return weights.wireName() + " weights have no int8 dot-product kernel: INT8 activations change the"
                    + " numbers but not the speed" + (bf16Kernel ? " (BF16 activations are this format's fast mode)" : "");
        }
        if (activations == Activations.BF16 && !bf16Kernel) {
            return weights.wireName() + " weights have no BF16 dot-product kernel: BF16 activations change the"
                    + " numbers but not the speed" + (int8Kernel ? " (INT8 activations are this format's fast mode)" : "");
        }
        return null;
    }

    /** Whether this CPU multiplies these weights by INT8 activations with int8 dot products. */
    private static boolean hasInt8Kernel(Precision weights) {
        return hasKernel(weights, Activations.INT8);
    }

    /** Whether this CPU multiplies these weights by BF16 activations with BF16 dot products. */
    private static boolean hasBf16Kernel(Precision weights) {
        return hasKernel(weights, Activations.BF16);
    }

    private static boolean hasKernel(Precision weights, Activations activations) {
        NativeApi.load();
        return NativeApi.activations_kernel(weights.code(), activations.code()) != 0;
    }

    /** A loaded model and the bytes of weights the cap counted for it. */
    private record Held(Loaded loaded, long weightBytes) {}

    private static Held load(Path path, EngineOptions options) {
        if (isEngineFile(path)) {
            ModelSpec spec = EngineFileMetadata.read(path, NativeModel.engineFileMetadata(path));
            long bytes = fileSize(path);
            checkWeightCap(path, bytes, options.maxWeightBytes());
            return new Held(new Loaded(NativeModel.openEngineFile(path, spec.info(), options.threads(), options.mappedWeights()), spec), bytes);
        }
        ModelSpec spec = read(path, options);
        Precision weights = options.weights() != null ? options.weights() : MatrixStorage.nearest(spec, Precision.FP32);
        long bytes = weightBytes(spec, weights);
        checkWeightCap(path, bytes, options.maxWeightBytes());
        LOG.info("{}: weight matrices under {} weights{}: {}", path, weights.wireName(),
                options.weights() != null ? "" : " (the checkpoint's own; EngineOptions.withWeights to choose)",
                MatrixStorage.describe(spec, weights));
        return new Held(new Loaded(NativeModel.load(spec, options.threads(), weights), spec), bytes);
    }

    /** Describes a checkpoint (llama2.c, Hugging Face folder) without loading its weights. */
    public static ModelSpec read(Path path, EngineOptions options) {
        if (!Files.exists(path)) throw new UncheckedIOException(new NoSuchFileException(path.toString(), null, "no such model file or folder"));
        Path p = path.getFileName() != null && path.getFileName().toString().equals("config.json") ? path.getParent() : path;
        if (HfFolderReader.looksLike(p)) return HfFolderReader.read(p);
        if (Files.isDirectory(p)) throw new ModelFormatException(p + ": a model folder needs a config.json");
        if (GgufReader.looksLike(p)) return GgufReader.read(p);
        if (firstBytes(p, 8).equals(ENGINE_MAGIC)) throw new ModelFormatException(p + ": already an engine file");
        return Llama2cReader.read(p, options.tokenizer());
    }

    /** Bytes the engine will hold for these tensors in this precision (Long.MAX_VALUE if that overflows). */
    static long weightBytes(ModelSpec spec, Precision weights) {
        try {
            long total = 0;
            for (TensorLocation t : spec.tensors()) {
                long[] s = t.shape();
                long bytes = s.length == 1 ? Math.multiplyExact(s[0], 4L)
                        : MatrixStorage.bytes(MatrixStorage.of(weights, t.name(), t.dtype(), s[1]), s[0], s[1]);
                total = Math.addExact(total, bytes);
            }
            return total;
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void checkWeightCap(Path path, long bytes, long cap) {
        if (bytes > cap) {
            throw new ModelFormatException(path + ": the model's weights need " + bytes + " bytes, more than the "
                    + cap + " allowed by maxWeightBytes (" + CAP_OPTIONS + ")");
        }
    }

    private static long fileSize(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read", e);
        }
    }

    /** Whether the path is an engine file, by its magic. */
    public static boolean isEngineFile(Path path) {
        return Files.isRegularFile(path) && firstBytes(path, 8).equals(ENGINE_MAGIC);
    }

    private static String firstBytes(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }
}
