package dev.euclid.internal.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.ModelFormatException;
import dev.euclid.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-level BPE vocabularies from tokenizer.ggml metadata: templates, added tokens, refusals. */
class GgufTokenizersTest {
    private static final int STRING = 8, UINT32 = 4, BOOL = 7, ARRAY = 9;

    @TempDir Path tmp;

    /** Llama 3 style: BOS added before the prompt, control and user-defined tokens matched whole. */
    @Test
    void llama3StyleVocabulary() throws IOException {
        Tokenizer t = tokenizer(vocab("llama-bpe").key("tokenizer.ggml.add_bos_token", BOOL).u8(1));
        assertEquals(5, t.bosId());
        assertEquals(6, t.eosId());
        assertArrayEquals(new int[] {5, 2, 7, 2, 3}, t.encode("hi<tool>hi "));
        assertEquals("hi<tool>", t.decode(new int[] {2, 7}, -1));
    }

    @Test
    void qwen2StyleVocabularyAddsNoBos() throws IOException {
        Tokenizer t = tokenizer(vocab("qwen2"));
        assertArrayEquals(new int[] {2, 6}, t.encode("hi<|end|>"));
    }

    @Test
    void unknownPreTokenizerIsRefused() throws IOException {
        String msg = assertThrows(ModelFormatException.class, () -> tokenizer(vocab("deepseek-llm"))).getMessage();
        assertTrue(msg.contains("tokenizer.ggml.pre 'deepseek-llm' is not supported"), msg);
    }

    @Test
    void unknownTokenizerModelIsRefused() throws IOException {
        GgufBytes kv = new GgufBytes();
        kv.key("tokenizer.ggml.model", STRING).str("bert");
        String msg = assertThrows(ModelFormatException.class, () -> tokenizer(kv)).getMessage();
        assertTrue(msg.contains("tokenizer.ggml.model 'bert' is not supported (llama, gpt2)"), msg);
    }

    /** Ids 0..3 spell "h", "i", "hi" and "Ġ" (a space in GPT-2's byte alphabet). */
    private static GgufBytes vocab(String pre) {
        GgufBytes kv = new GgufBytes();
        kv.key("tokenizer.ggml.model", STRING).str("gpt2");
        kv.key("tokenizer.ggml.pre", STRING).str(pre);
        kv.key("tokenizer.ggml.tokens", ARRAY).strings("h", "i", "hi", "\u0120", "[PAD4]", "<|begin|>", "<|end|>", "<tool>");
        kv.key("tokenizer.ggml.token_type", ARRAY).ints(1, 1, 1, 1, 5, 3, 3, 4);
        kv.key("tokenizer.ggml.merges", ARRAY).strings("h i");
        kv.key("tokenizer.ggml.bos_token_id", UINT32).u32(5);
        kv.key("tokenizer.ggml.eos_token_id", UINT32).u32(6);
        return kv;
    }

    private Tokenizer tokenizer(GgufBytes kv) throws IOException {
        Path file = Files.write(tmp.resolve("t.gguf"), kv.file(3, 0));
        return GgufTokenizers.source(GgufFile.open(file)).load();
    }
}
