package dev.euclid.internal.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.EngineOptions;
import dev.euclid.ModelFormatException;
import dev.euclid.internal.ModelLoader;
import dev.euclid.internal.NativeModel;
import dev.euclid.testing.Mutations;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutation fuzzing of the drafter file reader and of opening the result against stories260K:
 * every mutated file is read, and one that reads is opened and drafts. Only ModelFormatException
 * or IllegalArgumentException, with a message, may come out; never a crash or another exception.
 */
class DrafterFileFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    @Test
    void mutatedFilesFailCleanly() throws IOException {
        try (NativeModel base = ModelLoader.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults().withThreads(1)).model()) {
            DrafterFile drafter = DrafterFiles.random(NativeDrafter.fingerprint(base), 0, 4);
            Path good = dir.resolve("good.drafter");
            drafter.write(good);
            byte[] original = Files.readAllBytes(good);
            String metadata = drafter.metadata();
            JsonNode tree = JSON.readTree(metadata);
            int metaEnd = DrafterFile.HEADER + metadata.length();
            Mutations m = new Mutations(17);
            Path file = dir.resolve("fuzz.drafter");
            int opened = 0, rounds = 3000;
            for (int round = 0; round < rounds; round++) {
                byte[] bytes = switch (round % 6) {
                    case 0 -> m.damage(original, 0, original.length, 8); // checksum catches it
                    case 1 -> withChecksum(m.damage(original, 0, DrafterFile.HEADER, 3));
                    case 2 -> withChecksum(m.damage(original, DrafterFile.HEADER, metaEnd, 6));
                    case 3 -> m.truncate(original, original.length);
                    case 4 -> withChecksum(m.random().nextBoolean() ? m.putInt(original, 8 + 4 * m.nextInt(2))
                            : m.putLong(original, 16));
                    default -> DrafterFiles.assemble(1, JSON.writeValueAsString(m.mutateJson(tree)),
                            drafter.weights().length, drafter.weights());
                };
                Files.write(file, bytes);
                if (readMustFailCleanly(file, base, "round " + round)) opened++;
            }
            System.out.printf("drafter file: %d of %d mutated files opened, %d refused%n", opened, rounds, rounds - opened);
            assertTrue(opened > 0 && opened < rounds, opened + " of " + rounds + " opened");
        }
    }

    private static byte[] withChecksum(byte[] bytes) {
        if (bytes.length >= DrafterFile.HEADER + 4) DrafterFiles.storeChecksum(bytes);
        return bytes;
    }

    private static boolean readMustFailCleanly(Path file, NativeModel base, String round) {
        try (NativeDrafter d = NativeDrafter.open(file, base)) {
            int[] out = new int[4];
            d.proposeHidden(new float[base.info().dim()], 1, new int[] {1}, 2, 2, out, null);
            return true;
        } catch (ModelFormatException | IllegalArgumentException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError(round + ": exception without a message", expected);
            }
            return false;
        } catch (Throwable e) {
            throw new AssertionError(round + ": " + e, e);
        }
    }
}
