package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every refusal is a 4xx with OpenAI's error object, and leaves the server serving. */
class ErrorResponsesTest {
    private static final long MAX_BODY = 64 * 1024;
    private static ServerHarness h;

    @BeforeAll
    static void start() {
        h = ServerHarness.start(o -> o.withLimits(8, 8, MAX_BODY));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    /** The error object of a response, checked for its shape; returns it. */
    private static JsonNode error(ServerHarness.Response r, int status) {
        assertEquals(status, r.status(), r.body());
        JsonNode e = r.json().path("error");
        assertTrue(e.path("message").isTextual() && !e.path("message").asText().isEmpty(), r.body());
        assertTrue(e.path("type").isTextual(), r.body());
        assertTrue(e.has("param") && e.has("code"), r.body());
        return e;
    }

    private static JsonNode completion400(String body, String param, String messagePart) {
        JsonNode e = error(h.post("/v1/completions", body), 400);
        assertEquals("invalid_request_error", e.path("type").asText());
        if (param != null) assertEquals(param, e.path("param").asText(), e.toString());
        assertTrue(e.path("message").asText().contains(messagePart), e.toString());
        return e;
    }

    @Test
    void badJson() {
        completion400("{\"prompt\": \"Once\", ", null, "not valid JSON");
        completion400("{\"prompt\": \"Once\"} trailing", null, "not valid JSON");
        completion400("", null, "empty");
        completion400("[1, 2]", null, "must be a JSON object");
    }

    @Test
    void wrongTypes() {
        completion400("{\"prompt\": 5}", "prompt", "must be a string");
        completion400("{\"prompt\": \"x\", \"max_tokens\": \"10\"}", "max_tokens", "must be an integer");
        completion400("{\"prompt\": \"x\", \"max_tokens\": 2.5}", "max_tokens", "must be an integer");
        completion400("{\"prompt\": \"x\", \"temperature\": \"hot\"}", "temperature", "must be a number");
        completion400("{\"prompt\": \"x\", \"stream\": \"yes\"}", "stream", "must be a boolean");
        completion400("{\"prompt\": \"x\", \"stop\": 7}", "stop", "non-empty string");
        completion400("{\"prompt\": \"x\", \"stop\": [\"\"]}", "stop", "non-empty string");
        completion400("{\"prompt\": \"x\", \"seed\": \"s\"}", "seed", "must be an integer");
        completion400("{\"prompt\": \"x\", \"stream\": true, \"stream_options\": 3}", "stream_options", "JSON object");
        completion400("{\"prompt\": [1, \"a\"]}", "prompt[1]", "must be an integer");
        completion400("{\"prompt\": [1, 99999]}", "prompt[1]", "must be in [0, 511]");
        completion400("{\"model\": 3, \"prompt\": \"x\"}", "model", "must be a string");
        JsonNode chat = error(h.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": 4}]}"), 400);
        assertEquals("messages[0].content", chat.path("param").asText());
        chat = error(h.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}"), 400);
        assertEquals("messages[0].role", chat.path("param").asText());
        chat = error(h.post("/v1/chat/completions", "{\"messages\": []}"), 400);
        assertEquals("messages", chat.path("param").asText());
        chat = error(h.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": "
                + "[{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]}"), 400);
        assertTrue(chat.path("message").asText().contains("only text"));
    }

    @Test
    void outOfRangeValues() {
        completion400("{\"prompt\": \"x\", \"n\": 0}", "n", "must be in [1, 128]");
        completion400("{\"prompt\": \"x\", \"n\": -3}", "n", "must be in [1, 128]");
        completion400("{\"prompt\": \"x\", \"n\": 1000000000000}", "n", "must be in [1, 128]");
        completion400("{\"prompt\": [\"a\", \"b\", \"c\"], \"n\": 100}", "n", "300 choices");
        completion400("{\"prompt\": \"x\", \"max_tokens\": -5}", "max_tokens", "got -5");
        completion400("{\"prompt\": \"x\", \"max_tokens\": 0}", "max_tokens", "got 0");
        completion400("{\"prompt\": \"x\", \"temperature\": -1}", "temperature", "must be in");
        completion400("{\"prompt\": \"x\", \"top_p\": 0}", "top_p", "(0, 1]");
        completion400("{\"prompt\": \"x\", \"top_p\": 1.5}", "top_p", "[0, 1]");
        completion400("{\"prompt\": \"x\", \"presence_penalty\": 3}", "presence_penalty", "[-2, 2]");
        completion400("{\"prompt\": \"x\", \"logprobs\": 21}", "logprobs", "[0, 20]");
        completion400("{\"prompt\": \"x\", \"speculative\": \"magic\"}", "speculative", "\"lookup\"");
        JsonNode e = error(h.post("/v1/chat/completions",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_logprobs\": 2}"), 400);
        assertEquals("top_logprobs", e.path("param").asText());
    }

    @Test
    void overLongPromptNamesTheLimit() {
        String prompt = "Once upon a time there was a cat. ".repeat(80);
        JsonNode e = completion400("{\"prompt\": " + ServerHarness.JSON.valueToTree(prompt) + "}", "prompt",
                "this model's context holds 512 tokens");
        assertEquals("context_length_exceeded", e.path("code").asText());
        int[] ids = h.engine.tokenizer().encode(prompt);
        assertTrue(e.path("message").asText().contains("the prompt has " + ids.length + " tokens"), e.toString());
    }

    @Test
    void moreKvThanTheBudgetHoldsIsRefusedUpFront() {
        JsonNode e = completion400("{\"prompt\": \"Once upon a time\", \"n\": 128, \"max_tokens\": 500}", "prompt",
                "KV cache budget");
        assertTrue(e.path("message").asText().contains("raise the KV budget"), e.toString());
    }

    @Test
    void unknownModelIs404() {
        JsonNode e = error(h.post("/v1/completions", "{\"model\": \"gpt-9\", \"prompt\": \"x\"}"), 404);
        assertEquals("model_not_found", e.path("code").asText());
        assertEquals("model", e.path("param").asText());
        assertTrue(e.path("message").asText().contains("gpt-9"));
    }

    @Test
    void invalidUtf8IsRefusedNamingTheByte() throws Exception {
        byte[] body = "{\"prompt\": \"Once \u00e9\"}".getBytes(StandardCharsets.UTF_8);
        body[body.length - 3] = (byte) 0xC3;
        body[body.length - 4] = (byte) 0xFF; // not a UTF-8 byte at all
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.base + "/v1/completions"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode e = error(new ServerHarness.Response(r.statusCode(), r.headers(), r.body()), 400);
        assertTrue(e.path("message").asText().contains("not valid UTF-8 (malformed byte at offset " + (body.length - 4) + ")"),
                e.toString());
    }

    @Test
    void bodyOverTheLimitIs413BeforeItIsRead() throws IOException {
        try (RawHttp raw = new RawHttp(h.base.getPort())) {
            // Declares a gigabyte and sends 100 bytes: the answer comes without the server waiting for the rest.
            raw.post("/v1/completions", "Content-Length: 1000000000\r\n", "{\"prompt\": \"".concat("a".repeat(88)).getBytes(
                    StandardCharsets.US_ASCII));
            String head = raw.readHead();
            assertEquals(413, RawHttp.status(head), head);
            JsonNode e = ServerHarness.JSON.readTree(raw.readBody(head)).path("error");
            assertEquals("request_too_large", e.path("code").asText());
            assertTrue(e.path("message").asText().contains("at most " + MAX_BODY + " bytes"), e.toString());
        }
        try (RawHttp raw = new RawHttp(h.base.getPort())) {
            // Chunked, no declared length: read up to the limit and refused there.
            byte[] chunk = ("10000\r\n" + "a".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            raw.post("/v1/completions", "Transfer-Encoding: chunked\r\n", new byte[0]);
            raw.out.write(chunk);
            raw.out.write(chunk);
            raw.out.flush();
            String head = raw.readHead();
            assertEquals(413, RawHttp.status(head), head);
        }
        assertEquals(200, h.post("/v1/completions", "{\"prompt\": \"Once\", \"max_tokens\": 2}").status(), "still serving");
    }

    @Test
    void unknownPathsAndMethods() {
        JsonNode e = error(h.get("/v1/nothing"), 404);
        assertEquals("not_found", e.path("code").asText());
        e = error(h.get("/v1/completions"), 405);
        assertEquals("method_not_allowed", e.path("code").asText());
        error(h.post("/health", "{}"), 405);
    }
}
