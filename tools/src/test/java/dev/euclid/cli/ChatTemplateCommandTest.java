package dev.euclid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.chat.NpmTokenizerPackages;
import dev.euclid.chat.ReferenceRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code euclid chat-template} prints exactly what transformers' apply_chat_template(..., tokenize=False) gives. */
class ChatTemplateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MESSAGES = "[{\"role\": \"system\", \"content\": \"Be brief. 你好\"},"
            + " {\"role\": \"user\", \"content\": \"Weather in Paris? 🌦\"},"
            + " {\"role\": \"assistant\", \"content\": \"\", \"tool_calls\": [{\"type\": \"function\", \"function\":"
            + " {\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"days\": 2, \"metric\": true}}}]},"
            + " {\"role\": \"tool\", \"content\": \"{\\\"temp\\\": 21.5}\"}]";
    private static final String TOOLS = "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
            + " \"description\": \"Weather forecast\", \"parameters\": {\"type\": \"object\", \"properties\":"
            + " {\"city\": {\"type\": \"string\"}, \"days\": {\"type\": \"integer\"}}, \"required\": [\"city\"]}}}]";

    @TempDir Path tmp;

    private String transformers(Path folder, boolean addGenerationPrompt) throws IOException {
        Map<String, Object> kase = new LinkedHashMap<>();
        kase.put("kind", "model");
        kase.put("folder", folder.toString());
        kase.put("messages", JSON.readValue(MESSAGES, List.class));
        kase.put("tools", JSON.readValue(TOOLS, List.class));
        kase.put("add_generation_prompt", addGenerationPrompt);
        kase.put("extra", Map.of());
        Map<String, Object> result = ReferenceRenderer.get().render(List.of(kase)).get(0);
        assertTrue(result.containsKey("text"), "transformers failed: " + result);
        return (String) result.get("text");
    }

    @Test
    void printsWhatTransformersRenders() throws IOException {
        Path qwen3 = NpmTokenizerPackages.models("qwen3");
        Path messages = Files.writeString(tmp.resolve("messages.json"), MESSAGES);
        Path tools = Files.writeString(tmp.resolve("tools.json"), TOOLS);
        String expected = transformers(qwen3, true);
        assertTrue(expected.contains("<tool_call>") && expected.endsWith("<|im_start|>assistant\n"), expected);

        CliRun json = CliRun.of("chat-template", "--tokenizer-config", qwen3.toString(), "--messages", messages.toString(),
                "--tools", tools.toString(), "--add-generation-prompt", "--json");
        assertEquals(0, json.code(), json.err());
        assertEquals(expected, JSON.readTree(json.out()).get("text").asText());

        CliRun bare = CliRun.of("chat-template", "--tokenizer-config", qwen3.resolve("tokenizer_config.json").toString(),
                "--messages", messages.toString(), "--tools", tools.toString(), "--add-generation-prompt");
        assertEquals(0, bare.code(), bare.err());
        assertEquals(expected, bare.out());

        Path request = Files.writeString(tmp.resolve("request.json"), "{\"messages\": " + MESSAGES + ", \"tools\": " + TOOLS + "}");
        CliRun withoutPrompt = CliRun.of("chat-template", "--tokenizer-config", qwen3.toString(), "--messages",
                request.toString(), "--json");
        assertEquals(0, withoutPrompt.code(), withoutPrompt.err());
        assertEquals(transformers(qwen3, false), JSON.readTree(withoutPrompt.out()).get("text").asText());
    }

    @Test
    void badInputIsOneErrorLineNamingTheFile() throws IOException {
        Path qwen3 = NpmTokenizerPackages.models("qwen3");
        Path messages = Files.writeString(tmp.resolve("messages.json"), MESSAGES);
        Path broken = Files.writeString(tmp.resolve("broken.json"), "[{\"role\": \"user\",\n \"content\": }]");
        Path object = Files.writeString(tmp.resolve("object.json"), "{\"role\": \"user\"}");
        assertError("error: " + tmp.resolve("absent.json") + ": no such file or folder",
                "--tokenizer-config", qwen3.toString(), "--messages", tmp.resolve("absent.json").toString());
        assertError("error: " + broken + ": not valid JSON (line 2)",
                "--tokenizer-config", qwen3.toString(), "--messages", broken.toString());
        assertError("error: " + object + ": expected a JSON array of messages, or an object with \"messages\"",
                "--tokenizer-config", qwen3.toString(), "--messages", object.toString());
        Path llama2 = NpmTokenizerPackages.models("llama2");
        assertError("error: " + llama2 + ": no chat template", "--tokenizer-config", llama2.toString(),
                "--messages", messages.toString());
        Path gemini = NpmTokenizerPackages.models("gemini");
        assertError("error: " + gemini.resolve("tokenizer_config.json") + " (chat_template), line 1: System role not supported",
                "--tokenizer-config", gemini.toString(), "--messages", messages.toString());
    }

    private static void assertError(String expectedStart, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "chat-template";
        System.arraycopy(args, 0, full, 1, args.length);
        CliRun r = CliRun.of(full);
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().startsWith(expectedStart), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
