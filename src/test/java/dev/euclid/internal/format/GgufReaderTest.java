package dev.euclid.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.euclid.ModelInfo;
import dev.euclid.RopeLayout;
import dev.euclid.Tokenizer;
import dev.euclid.internal.ModelSpec;
import dev.euclid.internal.TokenizerSource;
import dev.euclid.testing.SharedModels;
import dev.euclid.tokenizer.Llama2cTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What the reader makes of the stories260K GGUF, against the llama2.c originals it was converted from. */
class GgufReaderTest {
    private static Path models() {
        return SharedModels.models();
    }

    @Test
    void hyperParametersFromMetadata() {
        ModelSpec spec = GgufReader.read(models().resolve("stories260K-gguf/stories260K-f32.gguf"));
        ModelInfo i = spec.info();
        assertEquals(new ModelInfo("gguf:llama", 64, 172, 5, 8, 4, 8, 512, 512, 1e-5f, 10000f, RopeLayout.INTERLEAVED,
                false, false), i);
        assertEquals(48, spec.tensors().size());
        assertArrayEquals(new int[] {2}, spec.defaultStopIds());
        assertArrayEquals(new long[] {512, 64}, spec.tensors().get(0).shape());
    }

    /** The rebuilt tokenizer.bin is tok512.bin except that control tokens keep their GGUF text and never merge. */
    @Test
    void vocabularyMatchesLlama2cTokenizerBin() throws IOException {
        ModelSpec spec = GgufReader.read(models().resolve("stories260K-gguf/stories260K-f32.gguf"));
        assertEquals(TokenizerSource.Kind.LLAMA2C, spec.tokenizerSource().kind());
        ByteBuffer rebuilt = ByteBuffer.wrap(spec.tokenizerSource().data()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer original = ByteBuffer.wrap(Files.readAllBytes(models().resolve("stories260K/tok512.bin")))
                .order(ByteOrder.LITTLE_ENDIAN);
        rebuilt.getInt();
        original.getInt();
        String[] controls = {"<unk>", "<s>", "</s>"};
        for (int id = 0; id < 512; id++) {
            float score = rebuilt.getFloat();
            byte[] piece = new byte[rebuilt.getInt()];
            rebuilt.get(piece);
            float originalScore = original.getFloat();
            byte[] originalPiece = new byte[original.getInt()];
            original.get(originalPiece);
            if (id < 3) {
                assertEquals(controls[id], new String(piece, StandardCharsets.UTF_8));
                assertEquals(Float.NEGATIVE_INFINITY, score);
            } else {
                assertArrayEquals(originalPiece, piece, "piece " + id);
                assertEquals(originalScore, score, 0f, "score " + id);
            }
        }
        assertEquals(0, rebuilt.remaining());

        Tokenizer gguf = spec.tokenizer();
        Tokenizer llama2c = Llama2cTokenizer.load(models().resolve("stories260K/tok512.bin"), 512);
        for (String text : new String[] {"", "Once upon a time", "  Lily's dog, 42 caf\u00e9s\n\tand \uD83D\uDE00!"}) {
            assertArrayEquals(llama2c.encode(text), gguf.encode(text), text);
        }
        for (int id = 3; id < 512; id++) assertArrayEquals(llama2c.tokenBytes(id), gguf.tokenBytes(id), "token " + id);
    }
}
