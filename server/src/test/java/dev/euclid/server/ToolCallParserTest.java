package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.chat.ChatTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The parser a published chat template teaches, and the names serve --tool-call-parser takes. */
class ToolCallParserTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"qwen2.5-instruct, HERMES", "qwen2.5-math-instruct, HERMES", "llama-3.1-instruct, LLAMA3_JSON",
        "llama-3.2-instruct, LLAMA3_JSON", "mistral-7b-instruct-v0.3, MISTRAL", "mistral-7b-instruct-v0.1, NONE", "deepseek-r1-distill, DEEPSEEK_V3"})
    void theTemplateChoosesTheSyntaxItTeaches(String model, ToolCallParser expected) throws IOException {
        Path config = Files.createDirectories(dir.resolve(model)).resolve("tokenizer_config.json");
        try (InputStream in = getClass().getResourceAsStream("/chat/models/" + model + "/tokenizer_config.json")) {
            assertNotNull(in, "the library's test jar has no chat template fixture " + model);
            Files.copy(in, config, StandardCopyOption.REPLACE_EXISTING);
        }
        String source = new ModelChatTemplate(ChatTemplate.fromTokenizerConfig(config)).source();
        assertEquals(expected, ToolCallParser.forTemplate(source), model);
    }

    @Test
    void namesAreVllms() {
        for (ToolCallParser p : ToolCallParser.values()) assertEquals(p, ToolCallParser.named(p.wireName()));
        assertEquals(ToolCallParser.LLAMA3_JSON, ToolCallParser.named("llama3_json"));
        assertEquals(ToolCallParser.MISTRAL, ToolCallParser.named("mistral"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToolCallParser.named("pythonic"));
        assertTrue(e.getMessage().contains("[hermes, llama3_json, mistral, deepseek_v3, deepseek_v31, none]"), e.getMessage());
    }
}
