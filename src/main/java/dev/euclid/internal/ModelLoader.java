package dev.euclid.internal;

import dev.euclid.EngineOptions;
import dev.euclid.ModelFormatException;
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

/** Recognises a model's format from the path and its first bytes, then reads and loads it. */
public final class ModelLoader {
    private static final String ENGINE_MAGIC = "EUCLIDEF";

    private ModelLoader() {}

    /** A loaded native model and the description it came from (its tensor list is empty for engine files). */
    public record Loaded(NativeModel model, ModelSpec spec) {}

    public static Loaded open(Path path, EngineOptions options) {
        if (isEngineFile(path)) {
            ModelSpec spec = EngineFileMetadata.read(path, NativeModel.engineFileMetadata(path));
            return new Loaded(NativeModel.openEngineFile(path, spec.info(), options.threads()), spec);
        }
        ModelSpec spec = read(path, options);
        return new Loaded(NativeModel.load(spec, options.threads(), options.weights()), spec);
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

    private static boolean isEngineFile(Path path) {
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
