package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The official Python client (the local wheel store's openai) reads streamed tool calls: a stub
 * endpoint streams the chunks ToolCallChoice makes of a Hermes answer, token by token (stories260K
 * cannot write calls), and both the client's stream helper and a plain stream loop get the calls
 * that the whole answer holds.
 */
class PythonToolCallsTest {
    private static final String ANSWER = "I will look both up.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\":"
            + " {\"city\": \"Zürich\"}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";

    @Test
    void pythonClientPutsStreamedCallsTogether() throws Exception {
        Path python = ExternalTools.pythonWithOpenAi();
        Path script = Path.of(getClass().getResource("/clients/openai_tool_calls_check.py").toURI());
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        stub.createContext("/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            HttpIo.EventStream stream = new HttpIo.EventStream(exchange);
            for (JsonBody chunk : chunks()) stream.event(chunk);
            stream.done();
            exchange.close();
        });
        stub.start();
        try {
            String out = ExternalTools.run(List.of(python.toString(), script.toString(),
                    "http://127.0.0.1:" + stub.getAddress().getPort() + "/v1"), 300);
            JsonNode j = ServerHarness.JSON.readTree(out);
            for (String way : List.of("helper", "loop")) {
                JsonNode got = j.path(way);
                assertEquals("I will look both up.", got.path("content").asText(), way);
                assertEquals("tool_calls", got.path("finish_reason").asText(), way);
                JsonNode calls = got.path("calls");
                assertEquals(2, calls.size(), way + ": " + got);
                assertEquals("get_weather", calls.get(0).path("name").asText());
                assertEquals("{\"city\":\"Zürich\"}", calls.get(0).path("arguments").asText());
                assertEquals("get_time", calls.get(1).path("name").asText());
                assertEquals("{}", calls.get(1).path("arguments").asText());
                for (JsonNode c : calls) assertTrue(c.path("id").asText().startsWith("call_"), c.toString());
            }
            assertEquals("Zürich", j.path("helper").path("calls").get(0).path("parsed").path("city").asText(), out);
        } finally {
            stub.stop(0);
        }
    }

    /** The chunks GenerationRun sends for this answer: the role, then what each token settles, then the end. */
    private static List<JsonBody> chunks() {
        ResponseMeta meta = new ResponseMeta("chatcmpl-stub", 1, "m");
        ToolCallChoice choice = new ToolCallChoice(ToolCallParser.HERMES, meta, 0, false, null);
        List<JsonBody> chunks = new ArrayList<>();
        chunks.add(OpenAiJson.chunk(Api.CHAT, meta, 0, "", true, null, 0, null, false, null));
        for (int i = 0; i < ANSWER.length(); i += 3) chunks.addAll(choice.token(ANSWER.substring(i, Math.min(ANSWER.length(), i + 3)), null));
        chunks.addAll(choice.finish("", "stop"));
        return chunks;
    }
}
