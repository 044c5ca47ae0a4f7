package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SafetensorsSurgery;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side files that a reader loads whole into the heap must have a size limit: each of these used to
 * be read with Files.readAllBytes/readString, so a 3 GB sparse file made Engine.open throw
 * OutOfMemoryError instead of naming the file.
 */
class OversizedFilesTest {
    private static final long HUGE = 3L << 30; // sparse: costs no disk

    @TempDir Path tmp;

    private static void makeHuge(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(HUGE);
        }
    }

    private Path hfCopy() throws IOException {
        return SafetensorsSurgery.copyFolder(SharedModels.models().resolve("stories260K-hf"), tmp.resolve("hf"));
    }

    private static void refused(Path model, String file) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Engine.open(model).close());
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains("too large"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"config.json", "tokenizer_config.json", "tokenizer.json"})
    void hugeJsonFileOfAHfFolder(String name) throws IOException {
        Path dir = hfCopy();
        makeHuge(dir.resolve(name));
        refused(dir, name);
    }

    @Test
    void hugeShardIndex() throws IOException {
        Path dir = hfCopy();
        Files.move(dir.resolve("model.safetensors"), dir.resolve("model-00001-of-00001.safetensors"));
        makeHuge(dir.resolve("model.safetensors.index.json"));
        refused(dir, "model.safetensors.index.json");
    }

    @Test
    void hugeLlama2cTokenizer() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("l2c"));
        Files.copy(SharedModels.models().resolve("stories260K/stories260K.bin"), dir.resolve("model.bin"));
        makeHuge(dir.resolve("tokenizer.bin"));
        refused(dir.resolve("model.bin"), "tokenizer.bin");
    }
}
