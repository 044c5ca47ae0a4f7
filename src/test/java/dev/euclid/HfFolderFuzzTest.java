package dev.euclid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.testing.Mutations;
import dev.euclid.testing.SafetensorsSurgery;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of a Hugging Face folder (stories260K-hf) through {@link Engine#open}: damaged
 * safetensors headers (bytes, length field, JSON values, truncation) and damaged config.json. Every
 * round must end in {@link ModelFormatException}, {@link IllegalArgumentException} or
 * {@link UncheckedIOException}, or in an engine that opens and generates.
 */
class HfFolderFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void damagedSafetensors() throws IOException {
        Path folder = SafetensorsSurgery.copyFolder(SharedModels.models().resolve("stories260K-hf"), tmp.resolve("hf"));
        Path file = folder.resolve("model.safetensors");
        byte[] original = Files.readAllBytes(file);
        int headerLength = (int) ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        JsonNode header = JSON.readTree(new String(original, 8, headerLength, StandardCharsets.UTF_8));
        byte[] data = Arrays.copyOfRange(original, 8 + headerLength, original.length);
        Mutations m = new Mutations(11);
        int opened = 0;
        for (int round = 0; round < 300; round++) {
            byte[] bytes = switch (round % 6) {
                case 0 -> m.damage(original, 0, 8 + headerLength, 4);
                case 1 -> m.putLong(original, 0);
                case 2 -> m.truncate(original, original.length);
                case 3 -> withHeader(JSON.writeValueAsBytes(swapOffsets(header, m)), data);
                default -> withHeader(JSON.writeValueAsBytes(m.mutateJson(header)), data);
            };
            Files.write(file, bytes);
            if (openMustFailCleanly(folder, "safetensors round " + round)) opened++;
        }
        reportOutcomes("model.safetensors", opened, 300);
    }

    @Test
    void damagedConfigJson() throws IOException {
        Path folder = SafetensorsSurgery.copyFolder(SharedModels.models().resolve("stories260K-hf"), tmp.resolve("hf"));
        Path file = folder.resolve("config.json");
        byte[] original = Files.readAllBytes(file);
        JsonNode config = JSON.readTree(original);
        Mutations m = new Mutations(12);
        int opened = 0;
        for (int round = 0; round < 300; round++) {
            byte[] bytes = switch (round % 6) {
                case 0 -> m.damage(original, 0, original.length, 3);
                case 1 -> m.truncate(original, original.length);
                case 2 -> JSON.writeValueAsBytes(m.mutateJson(m.mutateJson(config)));
                default -> JSON.writeValueAsBytes(m.mutateJson(config));
            };
            Files.write(file, bytes);
            if (openMustFailCleanly(folder, "config.json round " + round)) opened++;
        }
        reportOutcomes("config.json", opened, 300);
    }

    /**
     * The header with the data ranges of two random tensors exchanged: consistent (and then it
     * opens, with shuffled weights) when their byte sizes match, a shape mismatch otherwise.
     */
    private static JsonNode swapOffsets(JsonNode header, Mutations m) {
        ObjectNode copy = header.deepCopy();
        List<String> names = new ArrayList<>();
        copy.fieldNames().forEachRemaining(n -> {
            if (!n.equals("__metadata__")) names.add(n);
        });
        ObjectNode a = (ObjectNode) copy.get(names.get(m.nextInt(names.size())));
        ObjectNode b = (ObjectNode) copy.get(names.get(m.nextInt(names.size())));
        JsonNode offsets = a.get("data_offsets");
        a.set("data_offsets", b.get("data_offsets"));
        b.set("data_offsets", offsets);
        return copy;
    }

    /** A safetensors file with this header (padded to 8 bytes) in front of the original data. */
    static byte[] withHeader(byte[] header, byte[] data) {
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(header);
        for (int i = header.length; i < padded; i++) b.put((byte) ' ');
        return b.put(data).array();
    }

    /**
     * Opens the model: success (then it must generate) or one of the documented exceptions.
     *
     * @return whether it opened
     */
    static boolean openMustFailCleanly(Path model, String round) {
        try (Engine engine = Engine.open(model, EngineOptions.defaults().withThreads(1))) {
            engine.generate(Request.of("Once upon a time", 2));
            return true;
        } catch (ModelFormatException | IllegalArgumentException | UncheckedIOException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError(round + ": exception without a message", expected);
            }
            return false;
        } catch (Throwable e) {
            throw new AssertionError(round + ": " + e, e);
        }
    }

    /** Both outcomes must occur, or the mutations are too weak (or too strong) to test anything. */
    static void reportOutcomes(String what, int opened, int rounds) {
        System.out.printf("%s: %d of %d mutated inputs opened, %d refused%n", what, opened, rounds, rounds - opened);
        org.junit.jupiter.api.Assertions.assertTrue(opened > 0 && opened < rounds,
                what + ": " + opened + " of " + rounds + " opened");
    }
}
