package dev.euclid.server;

import static dev.euclid.server.ToolCallCases.assertStreamsAsWhole;
import static dev.euclid.server.ToolCallCases.streamed;
import static dev.euclid.server.ToolCallCases.whole;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.chat.ChatTemplate;
import dev.euclid.server.ToolCallCases.Parsed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mistral calls: {@code [TOOL_CALLS] [json, ...]} and {@code [TOOL_CALLS]name[ARGS]{json}}, whole and streamed. */
class MistralToolCallsTest {
    private static final String WEATHER_OBJECT = "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\", \"unit\": \"celsius\"}}";
    private static final String WEATHER_CALL = "get_weather {\"city\":\"Paris\",\"unit\":\"celsius\"}";
    private static final String TIME_OBJECT = "{\"name\": \"get_time\", \"arguments\": {\"zone\": \"CET\"}}";
    private static final String TIME_CALL = "get_time {\"zone\":\"CET\"}";

    @TempDir
    Path dir;

    private static Parsed parse(String text) {
        return whole(MistralToolCalls::new, text);
    }

    @Test
    void anArrayOfCalls() {
        assertEquals(new Parsed(null, List.of(WEATHER_CALL)), parse("[TOOL_CALLS] [" + WEATHER_OBJECT + "]"));
        String two = "[TOOL_CALLS] [" + WEATHER_OBJECT + ", " + TIME_OBJECT + "]";
        assertEquals(new Parsed(null, List.of(WEATHER_CALL, TIME_CALL)), parse(two));
        assertStreamsAsWhole(MistralToolCalls::new, two);
    }

    @Test
    void namedCallsOfLaterTokenizers() {
        String text = "[TOOL_CALLS]get_weather[ARGS]{\"city\": \"Paris\", \"unit\": \"celsius\"}"
                + "[TOOL_CALLS]get_time[CALL_ID]a1B2c3D4e[ARGS]{\"zone\": \"CET\"}";
        assertEquals(new Parsed(null, List.of(WEATHER_CALL, TIME_CALL)), parse(text));
        assertStreamsAsWhole(MistralToolCalls::new, text);
    }

    @Test
    void textBeforeTheCallsIsContent() {
        String text = "Let me check the weather.\n[TOOL_CALLS] [" + WEATHER_OBJECT + "]";
        assertEquals(new Parsed("Let me check the weather.", List.of(WEATHER_CALL)), parse(text));
        assertStreamsAsWhole(MistralToolCalls::new, text);
    }

    @Test
    void idsAreNineLettersAndDigits() {
        ToolCallStream.Reply r = ToolCallStream.parse(new MistralToolCalls(), "[TOOL_CALLS] [" + WEATHER_OBJECT + "]");
        assertTrue(r.calls().get(0).id().matches("[A-Za-z0-9]{9}"), r.calls().get(0).id());
    }

    @Test
    void theParsedCallGoesBackThroughMistralsOwnTemplate() throws IOException {
        Path config = dir.resolve("tokenizer_config.json");
        try (InputStream in = getClass().getResourceAsStream("/chat/models/mistral-7b-instruct-v0.3/tokenizer_config.json")) {
            assertNotNull(in, "the library's test jar has no Mistral chat template fixture");
            Files.copy(in, config);
        }
        ToolCall call = ToolCallStream.parse(new MistralToolCalls(), "[TOOL_CALLS] [" + WEATHER_OBJECT + "]").calls().get(0);
        List<Map<String, ?>> messages = List.of(
                Map.of("role", "user", "content", "Weather in Paris?"),
                Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", call.id(), "type", "function",
                        "function", Map.of("name", call.name(), "arguments", call.arguments())))),
                Map.of("role", "tool", "tool_call_id", call.id(), "content", "{\"temperature\": 21}"));
        // The template raises an error for any id but 9 characters.
        String prompt = ChatTemplate.fromTokenizerConfig(config).render(messages, false);
        assertTrue(prompt.contains("[TOOL_CALLS] [") && prompt.contains("\"id\": \"" + call.id() + "\""), prompt);
        assertTrue(prompt.contains("[TOOL_RESULTS]"), prompt);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[TOOL_CALLS] [{\"name\": \"f\", \"arguments\": {\"a\": }}]",
        "[TOOL_CALLS] [{\"arguments\": {\"a\": 1}}]",
        "[TOOL_CALLS] [\"f\"]",
        "[TOOL_CALLS] not json",
        "[TOOL_CALLS]f[ARGS][1, 2]",
        "[TOOL_CALLS]f without arguments",
        "[TOOL_CALLS] [{\"name\": \"f\", \"arguments\": {\"a\"",
        "before [TOOL_CALLS]",
    })
    void aMalformedCallLeavesTheAnswerAsContent(String text) {
        assertEquals(new Parsed(text, List.of()), parse(text));
        assertStreamsAsWhole(MistralToolCalls::new, text);
    }

    @Test
    void aMalformedCallAfterAGoodOneLeavesTheWholeAnswerButAStreamHasSentTheGoodOne() {
        String good = "[TOOL_CALLS] [" + WEATHER_OBJECT + ", ";
        String bad = "{\"name\": 3}]";
        assertEquals(new Parsed(good + bad, List.of()), parse(good + bad));
        assertEquals(new Parsed(bad, List.of(WEATHER_CALL)), streamed(MistralToolCalls::new, List.of(good, bad)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Once upon a time", "[INST] not a call", "x [TOOL_CALL", "[TOOL_CALLS", "a [b] c"})
    void anAnswerWithoutCallsIsUnchanged(String text) {
        assertEquals(new Parsed(text, List.of()), parse(text));
        if (!text.isEmpty()) assertStreamsAsWhole(MistralToolCalls::new, text);
    }
}
