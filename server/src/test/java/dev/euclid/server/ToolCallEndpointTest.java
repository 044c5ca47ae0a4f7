package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chat request with tools through the real server, with the hermes parser on: stories260K writes
 * no calls, so its answer comes back as plain content with the model's own finish reason, whole and
 * streamed (the calls themselves: ToolCallChoiceTest and the parsers' tests); and tool_choice is
 * read and checked.
 */
class ToolCallEndpointTest {
    private static final String TOOLS = "[{\"type\": \"function\", \"function\": {\"name\": \"get_weather\","
            + " \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}}]";
    private static final String REQUEST = "\"messages\": [{\"role\": \"user\", \"content\": \"Once upon a time\"}],"
            + " \"tools\": " + TOOLS + ", \"max_tokens\": 20, \"temperature\": 0";
    private static ServerHarness h;

    @BeforeAll
    static void start() {
        h = ServerHarness.start(o -> o.withToolCallParser(ToolCallParser.HERMES));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static Completion expected() {
        return h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(20).logprobs(true).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ", \"tool_choice\": \"auto\"", ", \"tool_choice\": \"none\"", ", \"tool_choice\": \"required\"",
        ", \"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}"})
    void anAnswerWithoutCallsIsPlainContent(String toolChoice) {
        Completion expected = expected();
        ServerHarness.Response r = h.post("/v1/chat/completions", "{" + REQUEST + toolChoice + "}");
        assertEquals(200, r.status(), r.body());
        JsonNode c = r.json().path("choices").get(0);
        assertEquals(expected.text(), c.path("message").path("content").asText());
        assertFalse(c.path("message").has("tool_calls"), r.body());
        assertEquals("length", c.path("finish_reason").asText());
    }

    @Test
    void aStreamedAnswerWithoutCallsIsPlainContentWithItsLogprobs() {
        Completion expected = expected();
        ServerHarness.Stream s = h.stream("/v1/chat/completions", "{" + REQUEST + ", \"stream\": true, \"logprobs\": true}");
        assertEquals(200, s.status());
        assertTrue(s.done());
        assertEquals(expected.text(), s.text(0));
        assertEquals("length", s.finishReason(0));
        int logprobs = 0;
        for (JsonNode e : s.events()) {
            JsonNode c = e.path("choices").get(0);
            assertFalse(c.path("delta").has("tool_calls"), e.toString());
            for (JsonNode t : c.path("logprobs").path("content")) assertEquals(expected.logprobs()[logprobs++], t.path("logprob").floatValue(), 0f);
        }
        assertEquals(20, logprobs);
    }

    @Test
    void aBadToolChoiceIs400() {
        assertError("\"sometimes\"", "tool_choice");
        assertError("7", "tool_choice");
        assertError("{\"type\": \"function\", \"function\": {}}", "tool_choice.function.name");
        assertError("{\"type\": \"function\"}", "tool_choice.function");
    }

    private static void assertError(String toolChoice, String param) {
        ServerHarness.Response r = h.post("/v1/chat/completions", "{" + REQUEST + ", \"tool_choice\": " + toolChoice + "}");
        assertEquals(400, r.status(), r.body());
        assertEquals(param, r.json().path("error").path("param").asText(), r.body());
    }
}
