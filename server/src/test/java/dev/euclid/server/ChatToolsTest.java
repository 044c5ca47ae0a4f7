package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Engine;
import dev.euclid.chat.ChatTemplate;
import dev.euclid.chat.ReferenceRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chat request that offers tools and carries a tool call and its result (as NeMo-Skills and
 * other OpenAI clients send them) reaches the model's chat template with everything Hugging Face
 * templates read: the server's prompt is exactly transformers' apply_chat_template of the same
 * conversation (the oracle, from the library's chat template tests), for Qwen2.5's and Llama 3.1's
 * published templates.
 */
class ChatToolsTest {
    private static final String TOOLS = """
            [{"type": "function", "function": {"name": "get_weather", "description": "The weather in a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city"]}}}]""";
    private static final String MESSAGES = """
            [{"role": "system", "content": "You are a helpful assistant."},
             {"role": "user", "content": "What is the weather in Paris?"},
             {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
               "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"unit\\": \\"celsius\\"}"}}]},
             {"role": "tool", "tool_call_id": "call_1", "name": "get_weather", "content": "22.5 degrees, sunny"}]""";

    @TempDir
    static Path dir;
    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = ServerHarness.openEngine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void qwenTemplateSeesToolsCallsAndResultsAsTransformersDoes() throws IOException {
        assertServerPromptIsTransformers("qwen2.5-instruct");
    }

    @Test
    void llamaTemplateSeesDecodedArgumentsAsTransformersDoes() throws IOException {
        assertServerPromptIsTransformers("llama-3.1-instruct");
    }

    @Test
    void badToolFieldsAndRefusedConversationsAre400() throws IOException {
        Path folder = fixture("llama-3.1-instruct");
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(folder.resolve("tokenizer_config.json"));
        try (ServerHarness h = ServerHarness.start(engine, o -> o.withChat(new ModelChatTemplate(template)), false)) {
            assertError(h, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": 3}", "tools", "array");
            assertError(h, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [\"x\"]}", "tools[0]",
                    "object");
            assertError(h, "{\"messages\": [{\"role\": \"assistant\", \"tool_calls\": {}}]}", "messages[0].tool_calls",
                    "array");
            assertError(h, "{\"messages\": [{\"role\": \"tool\", \"tool_call_id\": 7, \"content\": \"x\"}]}",
                    "messages[0].tool_call_id", "string");
            // Llama 3.1's template raises for two calls in one turn: the client learns why, as a 400.
            String twoCalls = MESSAGES.replace("\"tool_calls\": [{", "\"tool_calls\": [{\"id\": \"a\", \"type\":"
                    + " \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{}\"}}, {");
            assertError(h, "{\"messages\": " + twoCalls + ", \"tools\": " + TOOLS + "}", "messages",
                    "single tool-calls");
        }
    }

    private void assertServerPromptIsTransformers(String name) throws IOException {
        Path folder = fixture(name);
        ChatTemplate template = ChatTemplate.fromTokenizerConfig(folder.resolve("tokenizer_config.json"));
        // The oracle gets the conversation as vLLM hands it to transformers: arguments decoded to an object.
        List<Map<String, Object>> messages = ServerHarness.JSON.readValue(MESSAGES, new TypeReference<>() {});
        @SuppressWarnings("unchecked")
        Map<String, Object> function = (Map<String, Object>) ((List<Map<String, Object>>) messages.get(2).get("tool_calls"))
                .get(0).get("function");
        function.put("arguments", ServerHarness.JSON.readValue((String) function.get("arguments"), Map.class));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("kind", "model");
        c.put("folder", folder.toString());
        c.put("messages", messages);
        c.put("tools", ServerHarness.JSON.readValue(TOOLS, List.class));
        c.put("add_generation_prompt", true);
        c.put("extra", Map.of());
        Map<String, Object> reference = ReferenceRenderer.get().render(List.of(c)).get(0);
        String expectedPrompt = (String) reference.get("text");
        assertNotNull(expectedPrompt, name + ": the reference failed: " + reference);
        assertTrue(expectedPrompt.contains("get_weather") && expectedPrompt.contains("22.5 degrees"), expectedPrompt);

        ObjectNode body = (ObjectNode) ServerHarness.JSON.readTree("{\"max_tokens\": 12, \"temperature\": 0,"
                + " \"tool_choice\": \"auto\"}");
        body.set("messages", ServerHarness.JSON.readTree(MESSAGES));
        body.set("tools", ServerHarness.JSON.readTree(TOOLS));
        JsonFields fields = JsonFields.of(body, "");
        assertEquals(expectedPrompt, new ModelChatTemplate(template).render(ChatRequest.messages(fields),
                ChatRequest.tools(fields)), name + ": the server's prompt is transformers' prompt");
        // Over HTTP: these prompts outgrow stories260K's 512 positions, and the refusal counts the same tokens.
        int tokens = engine.tokenizer().encode(expectedPrompt).length;
        assertTrue(tokens > engine.info().contextLength(), name + ": " + tokens + " tokens");
        try (ServerHarness h = ServerHarness.start(engine, o -> o.withChat(new ModelChatTemplate(template)), false)) {
            ServerHarness.Response r = h.post("/v1/chat/completions", body.toString());
            assertEquals(400, r.status(), r.body());
            assertEquals("context_length_exceeded", r.json().path("error").path("code").asText(), r.body());
            assertTrue(r.json().path("error").path("message").asText().contains("the prompt has " + tokens + " tokens"),
                    r.body());
        }
    }

    private static void assertError(ServerHarness h, String body, String param, String says) {
        ServerHarness.Response r = h.post("/v1/chat/completions", body);
        assertEquals(400, r.status(), r.body());
        JsonNode e = r.json().path("error");
        assertEquals(param, e.path("param").asText(), r.body());
        assertTrue(e.path("message").asText().contains(says), r.body());
    }

    /** A published tokenizer_config.json from the library's chat template tests, as a folder of its own. */
    private static Path fixture(String name) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        try (InputStream in = ChatToolsTest.class.getResourceAsStream("/chat/models/" + name + "/tokenizer_config.json")) {
            assertNotNull(in, "the library's test jar has no chat template fixture " + name);
            Files.copy(in, folder.resolve("tokenizer_config.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return folder;
    }
}
