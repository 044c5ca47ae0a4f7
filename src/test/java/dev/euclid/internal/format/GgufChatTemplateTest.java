package dev.euclid.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.euclid.ModelFormatException;
import dev.euclid.chat.ChatTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A GGUF's tokenizer.chat_template (and named tokenizer.chat_template.NAME) with its special tokens. */
class GgufChatTemplateTest {
    @TempDir Path tmp;

    private Path gguf(GgufBytes kv) throws IOException {
        Path file = tmp.resolve("model.gguf");
        Files.write(file, kv.file(3, 0));
        return file;
    }

    @Test
    void templateAndSpecialTokensComeFromMetadata() throws IOException {
        GgufBytes kv = new GgufBytes();
        kv.key("tokenizer.ggml.tokens", 9).strings("<unk>", "<|start|>", "<|end|>", "hi");
        kv.key("tokenizer.ggml.bos_token_id", 4).u32(1);
        kv.key("tokenizer.ggml.eos_token_id", 4).u32(2);
        kv.key("tokenizer.ggml.unknown_token_id", 4).u32(0);
        kv.key("tokenizer.chat_template", 8).str("{{ bos_token }}{{ messages[0].content }}{{ eos_token }}{{ unk_token }}");
        kv.key("tokenizer.chat_templates", 9).strings("tool_use");
        kv.key("tokenizer.chat_template.tool_use", 8).str("tools: {{ tools | length }}");
        ChatTemplate t = ChatTemplate.fromModel(gguf(kv)).orElseThrow();
        List<Map<String, Object>> hello = List.of(Map.of("role", "user", "content", "hello"));
        assertEquals("<|start|>hello<|end|><unk>", t.render(hello, false));
        assertEquals("tools: 0", t.render(hello, List.of(), false, Map.of()));
        assertEquals(Map.of("bos_token", "<|start|>", "eos_token", "<|end|>", "unk_token", "<unk>"), t.specialTokens());
    }

    @Test
    void aTokenIdOutsideTheVocabularyIsRefused() throws IOException {
        GgufBytes kv = new GgufBytes();
        kv.key("tokenizer.ggml.tokens", 9).strings("a", "b");
        kv.key("tokenizer.ggml.eos_token_id", 4).u32(5);
        kv.key("tokenizer.chat_template", 8).str("x");
        Path file = gguf(kv);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromModel(file));
        assertEquals(file + ": metadata tokenizer.ggml.eos_token_id = 5 is outside the 2 tokens of tokenizer.ggml.tokens",
                e.getMessage());
    }
}
