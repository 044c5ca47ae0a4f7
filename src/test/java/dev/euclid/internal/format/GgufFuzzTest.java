package dev.euclid.internal.format;


import dev.euclid.ModelFormatException;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random damage to the stories260K GGUF header: the reader either succeeds or names the problem. */
class GgufFuzzTest {
    /** Header, metadata and tensor infos of the stories260K file end before this offset. */
    private static final int HEADER_BYTES = 14304;

    @TempDir Path tmp;

    @Test
    void randomByteDamageAndTruncation() throws IOException {
        byte[] original = Files.readAllBytes(SharedModels.models().resolve("stories260K-gguf/stories260K-f32.gguf"));
        Random random = new Random(42);
        Path file = tmp.resolve("fuzz.gguf");
        for (int round = 0; round < 400; round++) {
            byte[] copy;
            if (round % 4 == 0) {
                copy = Arrays.copyOf(original, random.nextInt(HEADER_BYTES + 64));
            } else {
                copy = original.clone();
                for (int k = 1 + random.nextInt(4); k > 0; k--) copy[random.nextInt(HEADER_BYTES)] = (byte) random.nextInt(256);
            }
            Files.write(file, copy);
            try {
                GgufReader.read(file);
            } catch (ModelFormatException e) {
                // the expected outcome for most damage
            } catch (RuntimeException | Error e) {
                throw new AssertionError("round " + round + ": " + e, e);
            }
        }
    }
}
