package dev.euclid.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Hugging Face model folder: {@code config.json}, the weights as one
 * {@code model.safetensors} or as shards plus {@code model.safetensors.index.json}, and optionally
 * a {@code tokenizer.json} supplied by the caller (tokenizers are generated elsewhere).
 */
public final class HfFolderWriter {

    public static final String CONFIG_FILE = "config.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfFolderWriter() {
    }

    /**
     * Writes a synthetic model with its own config.
     *
     * @param shards        1 for a single model.safetensors, more for that many shard files
     * @param tokenizerJson tokenizer.json text, or null to write none
     * @return the safetensors files written
     */
    public static List<Path> write(Path dir, SyntheticModel model, DType dtype, int shards, String tokenizerJson)
            throws IOException {
        return write(dir, model, model.hfConfig(dtype), dtype, shards, tokenizerJson);
    }

    /**
     * Writes any tensor source with the given config; {@code torch_dtype} is set to match
     * {@code dtype} so the folder never contradicts itself. Weight files left in {@code dir} by
     * an earlier write (single or sharded) are deleted first, since a loader that finds both a
     * stale {@code model.safetensors} and a new index could pick the wrong one.
     */
    public static List<Path> write(Path dir, TensorSource source, Map<String, Object> config, DType dtype,
            int shards, String tokenizerJson) throws IOException {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be ≥ 1, got " + shards);
        }
        Files.createDirectories(dir);
        deleteStaleWeights(dir);

        Map<String, Object> cfg = new LinkedHashMap<>(config);
        cfg.put("torch_dtype", dtype.torchName());
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG_FILE).toFile(), cfg);

        List<Path> files;
        if (shards == 1) {
            Path file = dir.resolve(SafetensorsWriter.SINGLE_FILE);
            SafetensorsWriter.write(file, source, dtype);
            files = List.of(file);
        } else {
            files = SafetensorsWriter.writeSharded(dir, source, dtype, shards);
        }
        if (tokenizerJson != null) {
            Files.writeString(dir.resolve(TOKENIZER_FILE), tokenizerJson, StandardCharsets.UTF_8);
        }
        return files;
    }

    private static void deleteStaleWeights(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(SafetensorsWriter.SINGLE_FILE));
        Files.deleteIfExists(dir.resolve(SafetensorsWriter.INDEX_FILE));
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(dir, "model-*-of-*.safetensors")) {
            for (Path p : shards) {
                Files.delete(p);
            }
        }
    }
}
