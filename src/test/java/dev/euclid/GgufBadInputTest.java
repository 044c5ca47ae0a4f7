package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged copies of the stories260K GGUF: each is refused with a message naming the problem. */
class GgufBadInputTest {
    private static byte[] original;

    @TempDir Path tmp;

    @BeforeAll
    static void load() throws IOException {
        original = Files.readAllBytes(SharedModels.models().resolve("stories260K-gguf/stories260K-f32.gguf"));
    }

    @Test
    void badMagic() throws IOException {
        assertRefused(b -> b.put(0, (byte) 'X'), "not a GGUF file");
    }

    @Test
    void versionOneAndUnknownVersions() throws IOException {
        assertRefused(b -> b.putInt(4, 1), "GGUF version 1 is not supported");
        assertRefused(b -> b.putInt(4, 99), "GGUF version 99 is not supported");
        assertRefused(b -> b.putInt(4, 0x03000000), "big-endian");
    }

    @Test
    void truncatedHeader() throws IOException {
        String msg = openFails(Files.write(tmp.resolve("cut.gguf"), Arrays.copyOf(original, 200)));
        assertTrue(msg.contains("truncated") && msg.contains("200 bytes"), msg);
    }

    @Test
    void absurdCounts() throws IOException {
        assertRefused(b -> b.putLong(8, 1L << 40), "tensor count 1099511627776 is impossible");
        assertRefused(b -> b.putLong(16, 1L << 40), "metadata count 1099511627776 is impossible");
    }

    @Test
    void stringLengthBeyondTheFile() throws IOException {
        assertRefused(b -> b.putLong(after("general.name") + 4, 1L << 40), "beyond the end of the file");
    }

    @Test
    void arrayLengthBeyondTheFile() throws IOException {
        assertRefused(b -> b.putLong(after("tokenizer.ggml.scores") + 8, 1L << 50), "array length");
    }

    @Test
    void unknownValueType() throws IOException {
        assertRefused(b -> b.putInt(after("general.name"), 13), "unknown value type 13");
    }

    @Test
    void tensorOffsetBeyondTheFile() throws IOException {
        assertRefused(b -> b.putLong(after("token_embd.weight") + 4 + 16 + 4, 1L << 30), "lies beyond the end of the file");
    }

    @Test
    void unsupportedTensorType() throws IOException {
        assertRefused(b -> b.putInt(after("blk.0.attn_q.weight") + 4 + 16, 16),
                "blk.0.attn_q.weight: IQ2_XXS (type 16) is not supported; supported: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1,"
                        + " Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, IQ4_XS, BF16");
    }

    @Test
    void q8RowsThatAreNotWholeBlocks() throws IOException {
        assertRefused(b -> b.putInt(after("blk.0.ffn_down.weight") + 4 + 16, 8), "not a multiple of 32");
    }

    @Test
    void unknownArchitecture() throws IOException {
        assertRefused(b -> b.put(after("general.architecture") + 12, "mamba".getBytes(StandardCharsets.US_ASCII)),
                "unknown architecture 'mamba' (supported: llama, qwen2)");
    }

    @Test
    void missingMetadataKey() throws IOException {
        assertRefused(b -> b.put(after("llama.block_count") - 1, (byte) 'X'), "missing metadata key llama.block_count");
    }

    @Test
    void missingTensor() throws IOException {
        assertRefused(b -> b.put(after("blk.2.attn_k.weight") - 1, (byte) 'X'), "missing tensor blk.2.attn_k.weight");
    }

    @Test
    void vocabularyLaidOutOtherwise() throws IOException {
        assertRefused(b -> b.putInt(after("tokenizer.ggml.bos_token_id") + 4, 5), "BOS 1, EOS 2");
    }

    private void assertRefused(Consumer<ByteBuffer> damage, String expected) throws IOException {
        byte[] copy = original.clone();
        damage.accept(ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN));
        String msg = openFails(Files.write(tmp.resolve("model.gguf"), copy));
        assertTrue(msg.contains(expected) && msg.contains("model.gguf"), msg);
    }

    private static String openFails(Path model) {
        return assertThrows(ModelFormatException.class, () -> Engine.open(model).close()).getMessage();
    }

    /** Offset just after the first occurrence of a key or tensor name in the header. */
    private static int after(String name) {
        byte[] needle = name.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= original.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (original[i + j] != needle[j]) continue outer;
            }
            return i + needle.length;
        }
        throw new IllegalArgumentException(name + " is not in the file");
    }
}
