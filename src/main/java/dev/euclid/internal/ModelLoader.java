package dev.euclid.internal;

import dev.euclid.EngineOptions;
import dev.euclid.ModelFormatException;
import dev.euclid.internal.format.GgufReader;
import dev.euclid.internal.format.HfFolderReader;
import dev.euclid.internal.format.Llama2cReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Recognises a checkpoint's format from the path and its first bytes and reads it. */
public final class ModelLoader {
    private ModelLoader() {}

    public static ModelSpec read(Path path, EngineOptions options) {
        if (!Files.exists(path)) throw new UncheckedIOException(new NoSuchFileException(path.toString(), null, "no such model file or folder"));
        Path p = path.getFileName() != null && path.getFileName().toString().equals("config.json") ? path.getParent() : path;
        if (HfFolderReader.looksLike(p)) return HfFolderReader.read(p);
        if (Files.isDirectory(p)) throw new ModelFormatException(p + ": a model folder needs a config.json");
        if (GgufReader.looksLike(p)) return GgufReader.read(p);
        return Llama2cReader.read(p, options.tokenizer());
    }
}
