package dev.euclid.internal;

import dev.euclid.EngineOptions;
import dev.euclid.ModelFormatException;
import dev.euclid.internal.format.HfFolderReader;
import dev.euclid.internal.format.Llama2cReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
        byte[] head = firstBytes(p, 4);
        if (head.length == 4 && new String(head, StandardCharsets.ISO_8859_1).equals("GGUF")) {
            throw new ModelFormatException(p + ": GGUF input is not supported yet (llama2.c checkpoints and Hugging Face folders are)");
        }
        return Llama2cReader.read(p, options.tokenizer());
    }

    private static byte[] firstBytes(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }
}
