package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A chat choice's answer, given as a fake token stream, on the wire: the streamed chunks, put
 * together as OpenAI's clients do (content appended, each call's arguments appended to its first
 * chunk's), say what the whole response says.
 */
class ToolCallChoiceTest {
    private static final ResponseMeta META = new ResponseMeta("chatcmpl-test", 1, "m");
    private static final String WEATHER = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Zürich\","
            + " \"note\": \"{braces}\"}}\n</tool_call>";
    private static final String TIME = "<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";

    @Test
    void streamedCallsSayWhatTheWholeResponseSays() throws IOException {
        String answer = "Let me check both.\n" + WEATHER + "\n" + TIME;
        for (int size : new int[] {1, 2, 3, 7, 40, answer.length()}) {
            JsonNode whole = whole(answer, "stop");
            JsonNode streamed = streamed(answer, size, "stop");
            assertEquals("Let me check both.", whole.path("message").path("content").asText());
            assertEquals("tool_calls", whole.path("finish_reason").asText());
            assertEquals(whole.path("message").path("content"), streamed.path("content"), "pieces of " + size);
            assertEquals("tool_calls", streamed.path("finish_reason").asText());
            JsonNode calls = whole.path("message").path("tool_calls");
            assertEquals(2, calls.size());
            assertEquals("{\"city\":\"Zürich\",\"note\":\"{braces}\"}", calls.get(0).path("function").path("arguments").asText());
            assertEquals("get_time", calls.get(1).path("function").path("name").asText());
            assertEquals(withoutIds(calls), withoutIds(streamed.path("tool_calls")), "pieces of " + size);
            for (JsonNode c : streamed.path("tool_calls")) {
                assertTrue(c.path("id").asText().startsWith("call_"), c.toString());
                assertEquals("function", c.path("type").asText());
            }
        }
    }

    @Test
    void onlyCallsMeansNullContent() throws IOException {
        JsonNode whole = whole(WEATHER, "length");
        assertTrue(whole.path("message").has("content") && whole.path("message").path("content").isNull(), whole.toString());
        assertEquals("tool_calls", whole.path("finish_reason").asText());
        JsonNode streamed = streamed(WEATHER, 5, "length");
        assertTrue(streamed.path("content").isNull(), "no content chunk: " + streamed);
        assertEquals(1, streamed.path("tool_calls").size());
    }

    @Test
    void anAnswerWithoutCallsIsPlainContentWithItsOwnFinishReason() throws IOException {
        String answer = "No tools needed: 2 + 2 = 4 {really}.\n";
        JsonNode whole = whole(answer, "stop");
        assertEquals(answer, whole.path("message").path("content").asText());
        assertFalse(whole.path("message").has("tool_calls"), whole.toString());
        assertEquals("stop", whole.path("finish_reason").asText());
        JsonNode streamed = streamed(answer, 3, "length");
        assertEquals(answer, streamed.path("content").asText());
        assertEquals(0, streamed.path("tool_calls").size());
        assertEquals("length", streamed.path("finish_reason").asText());
    }

    @Test
    void malformedCallJsonStaysContentAndNeverFails() throws IOException {
        String answer = "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": }\n</tool_call>";
        JsonNode whole = whole(answer, "stop");
        assertEquals(answer, whole.path("message").path("content").asText());
        assertEquals("stop", whole.path("finish_reason").asText());
        JsonNode streamed = streamed(answer, 4, "stop");
        assertEquals(answer, streamed.path("content").asText());
        assertEquals("stop", streamed.path("finish_reason").asText());
    }

    /** choices[0] of the non-streamed response. */
    private static JsonNode whole(String answer, String finishReason) throws IOException {
        OpenAiJson.Choice choice = ToolCallChoice.whole(ToolCallParser.HERMES, 0, answer, finishReason, null);
        JsonNode r = json(OpenAiJson.response(Api.CHAT, META, List.of(choice), new OpenAiJson.Usage(1, 2), null));
        return r.path("choices").get(0);
    }

    /**
     * The answer streamed in pieces of {@code size} characters, put together: {"content", "tool_calls",
     * "finish_reason"}. Each chunk is checked for the shape clients expect.
     */
    private static JsonNode streamed(String answer, int size, String finishReason) throws IOException {
        ToolCallChoice choice = new ToolCallChoice(ToolCallParser.HERMES, META, 0, true, null);
        List<JsonBody> chunks = new ArrayList<>();
        int sent = Math.max(0, answer.length() - 2); // the engine's last characters come with the end, as "rest"
        for (int i = 0; i < sent; i += size) chunks.addAll(choice.token(answer.substring(i, Math.min(sent, i + size)), null));
        chunks.addAll(choice.finish(answer.substring(sent), finishReason));
        StringBuilder content = null;
        ArrayNode calls = ServerHarness.JSON.createArrayNode();
        String finish = null;
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode chunk = json(chunks.get(i));
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            assertEquals(META.id(), chunk.path("id").asText());
            assertTrue(chunk.has("usage") && chunk.path("usage").isNull(), chunk.toString());
            JsonNode c = chunk.path("choices").get(0);
            assertEquals(0, c.path("index").asInt());
            if (c.path("finish_reason").isTextual()) {
                assertEquals(chunks.size() - 1, i, "the finish reason comes last");
                finish = c.path("finish_reason").asText();
            }
            JsonNode delta = c.path("delta");
            if (delta.path("content").isTextual() && !delta.path("content").asText().isEmpty()) {
                if (content == null) content = new StringBuilder();
                content.append(delta.path("content").asText());
            }
            for (JsonNode t : delta.path("tool_calls")) {
                int index = t.path("index").asInt();
                if (t.has("id")) {
                    assertEquals(calls.size(), index, "a call's first chunk has its id");
                    ObjectNode call = calls.addObject();
                    call.put("id", t.path("id").asText()).put("type", t.path("type").asText());
                    call.putObject("function").put("name", t.path("function").path("name").asText())
                            .put("arguments", t.path("function").path("arguments").asText());
                } else {
                    ObjectNode function = (ObjectNode) calls.get(index).path("function");
                    function.put("arguments", function.path("arguments").asText() + t.path("function").path("arguments").asText());
                }
            }
        }
        ObjectNode out = ServerHarness.JSON.createObjectNode();
        if (content == null) out.putNull("content");
        else out.put("content", content.toString());
        out.set("tool_calls", calls);
        out.put("finish_reason", finish);
        return out;
    }

    private static JsonNode withoutIds(JsonNode calls) {
        ArrayNode out = ServerHarness.JSON.createArrayNode();
        for (JsonNode c : calls) out.add(((ObjectNode) c.deepCopy()).without("id"));
        return out;
    }

    private static JsonNode json(JsonBody body) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(text)) {
            body.write(g);
        }
        return ServerHarness.JSON.readTree(text.toString());
    }
}
