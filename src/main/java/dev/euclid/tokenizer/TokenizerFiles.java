package dev.euclid.tokenizer;

import dev.euclid.EngineOptions;
import dev.euclid.ModelFormatException;
import dev.euclid.Tokenizer;
import dev.euclid.internal.EngineFileMetadata;
import dev.euclid.internal.ModelLoader;
import dev.euclid.internal.NativeModel;
import dev.euclid.internal.format.GgufReader;
import dev.euclid.internal.format.Llama2cReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a tokenizer from wherever a user has one: its own file, or the model it belongs to. */
public final class TokenizerFiles {
    private static final String ENGINE_MAGIC = "EUCLIDEF";

    private TokenizerFiles() {
    }

    /**
     * The tokenizer in {@code path}: a tokenizer.json (with the tokenizer_config.json beside it), a
     * llama2.c tokenizer.bin, a model folder (its tokenizer.json or tokenizer.bin, else what the
     * model loader finds),
     * or a model file (GGUF, llama2.c checkpoint with its tokenizer beside it, Euclid engine file).
     *
     * @throws ModelFormatException naming the file and what is wrong with it
     * @throws UncheckedIOException if it cannot be read
     */
    public static Tokenizer open(Path path) {
        try {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString(), null, "no such tokenizer or model file or folder");
            }
            if (Files.isDirectory(path)) {
                Path json = path.resolve("tokenizer.json");
                Path bin = path.resolve("tokenizer.bin");
                if (Files.isRegularFile(json)) {
                    return HfTokenizer.load(json);
                }
                return Files.isRegularFile(bin) ? Llama2cTokenizer.load(bin)
                        : ModelLoader.read(path, EngineOptions.defaults()).tokenizer();
            }
            String name = path.getFileName().toString();
            if (name.equals("config.json")) {
                return open(path.toAbsolutePath().getParent());
            }
            if (name.endsWith(".json")) {
                return HfTokenizer.load(path);
            }
            if (firstBytes(path).equals(ENGINE_MAGIC)) {
                return EngineFileMetadata.read(path, NativeModel.engineFileMetadata(path)).tokenizer();
            }
            if (GgufReader.looksLike(path) || Llama2cReader.looksLike(path)) {
                return ModelLoader.read(path, EngineOptions.defaults()).tokenizer();
            }
            return Llama2cTokenizer.load(path);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(e.getMessage().contains(path.toString()) ? e.getMessage()
                    : path + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String firstBytes(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(ENGINE_MAGIC.length()), StandardCharsets.ISO_8859_1);
        }
    }
}
