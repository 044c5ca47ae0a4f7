package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.testing.Mutations;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutation fuzzing of the part of an engine file that Java reads: the metadata JSON (architecture,
 * tokenizer bytes in base64, stop ids). The binary header and directory are fuzzed natively
 * (native/fuzz/fuzz_engine_file); here the checksum is recomputed after each change so the damage
 * reaches the metadata reader and the checks that compare it with the native header.
 */
class EngineFileFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    @Test
    void damagedMetadata() throws IOException {
        Built built = build();
        String metadata = built.metadata();
        int metadataBytes = built.metadataBytes();
        JsonNode tree = JSON.readTree(metadata);
        Mutations m = new Mutations(41);
        Path file = tmp.resolve("fuzz.euclid");
        int opened = 0;
        int rounds = 0;
        for (int round = 0; round < 300; round++) {
            byte[] replacement = switch (round % 3) {
                case 0 -> m.damage(metadata.getBytes(StandardCharsets.UTF_8), 0, metadataBytes, 4);
                default -> JSON.writeValueAsBytes(m.mutateJson(tree));
            };
            if (replacement.length > metadataBytes) continue; // would move the directory: not this test's subject
            Files.write(file, built.withMetadata(replacement));
            rounds++;
            if (HfFolderFuzzTest.openMustFailCleanly(file, "engine metadata round " + round)) opened++;
        }
        HfFolderFuzzTest.reportOutcomes("engine file metadata", opened, rounds);
    }

    /**
     * Found by {@link #damagedMetadata}: {@code "model": null} made Engine.open throw
     * NullPointerException after the file was mapped, and left the mapping to the Cleaner.
     */
    @Test
    void metadataThatDisagreesWithTheHeaderIsRefusedAndUnmapped() throws IOException {
        Built built = build();
        ObjectNode tree = (ObjectNode) JSON.readTree(built.metadata());
        long before = Diagnostics.nativeBytesInUse();
        for (String edit : new String[] {"null model", "ffn dim", "rope theta", "qkv bias"}) {
            ObjectNode copy = tree.deepCopy();
            ObjectNode model = (ObjectNode) copy.get("model");
            switch (edit) {
                case "null model" -> copy.putNull("model");
                case "ffn dim" -> model.put("ffnDim", model.get("ffnDim").asInt() + 1);
                case "rope theta" -> model.put("ropeTheta", 20000.0f); // same length as 10000.0: the JSON must fit its slot
                default -> model.put("qkvBias", true);
            }
            byte[] json = JSON.writeValueAsBytes(copy);
            assertTrue(json.length <= built.metadataBytes(), edit);
            Path file = Files.write(tmp.resolve("edited.euclid"), built.withMetadata(json));
            assertThrows(ModelFormatException.class, () -> Engine.open(file).close(), edit);
            assertEquals(before, Diagnostics.nativeBytesInUse(), edit + ": mapping released");
        }
    }

    /** An INT8 engine file of stories260K and where its metadata JSON sits (header fields at 24 and 32). */
    private record Built(byte[] bytes, int metadataOffset, int metadataBytes) {
        String metadata() {
            return new String(bytes, metadataOffset, metadataBytes, StandardCharsets.UTF_8);
        }

        /** The file with {@code json} (at most metadataBytes) in the metadata slot, space-padded, checksum redone. */
        byte[] withMetadata(byte[] json) {
            byte[] out = bytes.clone();
            System.arraycopy(json, 0, out, metadataOffset, json.length);
            Arrays.fill(out, metadataOffset + json.length, metadataOffset + metadataBytes, (byte) ' ');
            storeChecksum(out);
            return out;
        }
    }

    private Built build() throws IOException {
        Path file = tmp.resolve("stories.euclid");
        EngineBuilder.from(SharedModels.models().resolve("stories260K/stories260K.bin")).weights(Precision.INT8).build(file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new Built(bytes, (int) header.getLong(24), (int) header.getLong(32));
    }

    /** The engine-file checksum (native/src/io/Checksum.h): CRC-32C of each 1 MiB chunk, then of those CRCs. */
    static void storeChecksum(byte[] file) {
        int n = file.length - 8;
        int chunk = 1 << 20;
        ByteBuffer crcs = ByteBuffer.allocate(4 * ((n + chunk - 1) / chunk)).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < n; at += chunk) {
            CRC32C c = new CRC32C();
            c.update(file, at, Math.min(chunk, n - at));
            crcs.putInt((int) c.getValue());
        }
        CRC32C all = new CRC32C();
        all.update(crcs.array());
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(n, all.getValue());
    }
}
