package dev.euclid;

import dev.euclid.internal.EngineFileMetadata;
import dev.euclid.internal.MatrixStorage;
import dev.euclid.internal.ModelLoader;
import dev.euclid.internal.ModelSpec;
import dev.euclid.internal.NativeModel;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Converts a checkpoint (llama2.c, Hugging Face folder) into an engine file: weights in the chosen
 * precision, laid out for the kernels, tokenizer included, checksummed. {@link Engine#open(Path)}
 * then maps the file instead of parsing and converting.
 *
 * <pre>{@code
 * Path engineFile = EngineBuilder.from(Path.of("models/qwen2.5-0.5b")).weights(Precision.FP8)
 *         .build(Path.of("qwen-fp8.euclid"));
 * }</pre>
 */
public final class EngineBuilder {
    private final Path checkpoint;
    private Precision weights;  // null: MatrixStorage.nearest, floats as FP16
    private Path tokenizer;
    private int threads;

    private EngineBuilder(Path checkpoint) {
        this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
    }

    public static EngineBuilder from(Path checkpoint) {
        return new EngineBuilder(checkpoint);
    }

    /**
     * Whether {@code path} is an engine file (what {@link #build} writes), told by its first bytes:
     * such a file keeps the precision it was built with, so {@link EngineOptions#weights} does not apply.
     */
    public static boolean isEngineFile(Path path) {
        return ModelLoader.isEngineFile(Objects.requireNonNull(path, "path"));
    }

    /**
     * Precision of the weight matrices (default: a quantised GGUF file's nearest Euclid format, as
     * {@link EngineOptions#weights} describes; FP16 for float checkpoints).
     */
    public EngineBuilder weights(Precision weights) {
        this.weights = Objects.requireNonNull(weights, "weights");
        return this;
    }

    /** Tokenizer file for llama2.c checkpoints (default: beside the checkpoint). */
    public EngineBuilder tokenizer(Path tokenizer) {
        this.tokenizer = tokenizer;
        return this;
    }

    /** Threads used for conversion and checksumming (0 = all cores). */
    public EngineBuilder threads(int threads) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        this.threads = threads;
        return this;
    }

    /**
     * Writes the engine file (atomically: a temporary file renamed into place) and returns its path.
     *
     * @throws java.io.UncheckedIOException with a {@link NoSuchFileException} naming the folder if
     *     {@code out}'s folder does not exist (it is not created: a mistyped path should not
     *     silently become a new folder)
     */
    public Path build(Path out) {
        Objects.requireNonNull(out, "out");
        Path folder = out.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new UncheckedIOException(new NoSuchFileException(folder.toString(), null,
                    "no such folder to write " + out.getFileName() + " in"));
        }
        EngineOptions options = EngineOptions.defaults().withThreads(threads).withTokenizer(tokenizer).withWeights(weights);
        ModelSpec spec = ModelLoader.read(checkpoint, options);
        Precision stored = weights != null ? weights : MatrixStorage.nearest(spec, Precision.FP16);
        try (NativeModel model = NativeModel.load(spec, threads, stored)) {
            model.save(out, EngineFileMetadata.write(spec, stored, checkpoint));
        }
        return out;
    }
}
