package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Request;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/chat/completions: messages through the chat template, answers in the chat shape. */
class ChatEndpointTest {
    private static ServerHarness h;

    @BeforeAll
    static void start() {
        h = ServerHarness.start(o -> o);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static final String MESSAGES = "[{\"role\":\"system\",\"content\":\"Once upon a time\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"there was\"},{\"type\":\"text\",\"text\":\" a dog\"}]}]";

    private static Completion expected(int maxTokens) {
        String prompt = new StoryChatTemplate().render(List.of(new ChatMessage("system", "Once upon a time"),
                new ChatMessage("user", "there was a dog")));
        return h.engine.generate(Request.builder().prompt(prompt).maxTokens(maxTokens).logprobs(true).build());
    }

    @Test
    void chatCompletionIsTheTemplatedPromptsGreedyAnswer() {
        Completion expected = expected(30);
        JsonNode j = h.post("/v1/chat/completions", "{\"model\":\"stories260K\",\"messages\":" + MESSAGES
                + ",\"max_completion_tokens\":30,\"temperature\":0}").json();
        assertTrue(j.path("id").asText().startsWith("chatcmpl-"));
        assertEquals("chat.completion", j.path("object").asText());
        JsonNode c = j.path("choices").get(0);
        assertEquals("assistant", c.path("message").path("role").asText());
        assertEquals(expected.text(), c.path("message").path("content").asText());
        assertEquals(expected.finishReason().wireName(), c.path("finish_reason").asText());
        assertEquals(expected.promptTokenIds().length, j.path("usage").path("prompt_tokens").asInt());
        assertEquals(expected.tokenIds().length, j.path("usage").path("completion_tokens").asInt());
    }

    @Test
    void withoutMaxTokensTheAnswerRunsToItsStopToken() {
        Completion expected = expected(512);
        JsonNode c = h.post("/v1/chat/completions", "{\"messages\":" + MESSAGES + ",\"temperature\":0}").json()
                .path("choices").get(0);
        assertEquals("stop", c.path("finish_reason").asText());
        assertEquals(expected.text(), c.path("message").path("content").asText());
    }

    @Test
    void chatLogprobsCarryBytesAndAlternatives() {
        Completion expected = expected(10);
        JsonNode content = h.post("/v1/chat/completions", "{\"messages\":" + MESSAGES + ",\"max_tokens\":10,"
                + "\"temperature\":0,\"logprobs\":true,\"top_logprobs\":2}").json()
                .path("choices").get(0).path("logprobs").path("content");
        assertEquals(10, content.size());
        for (int j = 0; j < 10; j++) {
            JsonNode t = content.get(j);
            int id = expected.tokenIds()[j];
            assertEquals(TokenLogprob.text(h.engine.tokenizer(), id), t.path("token").asText());
            assertEquals(expected.logprobs()[j], t.path("logprob").floatValue(), 0f);
            byte[] bytes = h.engine.tokenizer().tokenBytes(id);
            assertEquals(bytes.length, t.path("bytes").size());
            for (int b = 0; b < bytes.length; b++) assertEquals(bytes[b] & 0xff, t.path("bytes").get(b).asInt());
            assertEquals(2, t.path("top_logprobs").size());
            assertEquals(t.path("token").asText(), t.path("top_logprobs").get(0).path("token").asText());
        }
    }

    @Test
    void streamedChatStartsWithTheRoleAndEndsWithUsageAndDone() {
        Completion expected = expected(25);
        ServerHarness.Stream s = h.stream("/v1/chat/completions", "{\"messages\":" + MESSAGES + ",\"max_tokens\":25,"
                + "\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertEquals(200, s.status());
        assertTrue(s.done());
        JsonNode first = s.events().get(0);
        assertEquals("chat.completion.chunk", first.path("object").asText());
        assertEquals("assistant", first.path("choices").get(0).path("delta").path("role").asText());
        assertTrue(first.has("usage") && first.path("usage").isNull(), "include_usage: usage is null until the last chunk");
        String id = first.path("id").asText();
        for (JsonNode e : s.events()) assertEquals(id, e.path("id").asText());
        assertEquals(expected.text(), s.text(0));
        assertEquals("length", s.finishReason(0));
        JsonNode last = s.events().get(s.events().size() - 1);
        assertEquals(0, last.path("choices").size());
        assertEquals(expected.tokenIds().length, last.path("usage").path("completion_tokens").asInt());
        assertEquals(expected.promptTokenIds().length, last.path("usage").path("prompt_tokens").asInt());
    }

    @Test
    void streamedChatWithoutUsageHasNoUsageField() {
        ServerHarness.Stream s = h.stream("/v1/chat/completions", "{\"messages\":" + MESSAGES + ",\"max_tokens\":5,"
                + "\"temperature\":0,\"stream\":true}");
        assertTrue(s.done());
        for (JsonNode e : s.events()) assertTrue(!e.has("usage"), e.toString());
        assertEquals(expected(5).text(), s.text(0));
    }

    @Test
    void streamedChatLogprobsComeWithTheirTokens() {
        Completion expected = expected(12);
        ServerHarness.Stream s = h.stream("/v1/chat/completions", "{\"messages\":" + MESSAGES + ",\"max_tokens\":12,"
                + "\"temperature\":0,\"stream\":true,\"logprobs\":true}");
        int j = 0;
        for (JsonNode e : s.events()) {
            for (JsonNode t : e.path("choices").get(0).path("logprobs").path("content")) {
                assertEquals(expected.logprobs()[j], t.path("logprob").floatValue(), 0f);
                assertEquals(TokenLogprob.text(h.engine.tokenizer(), expected.tokenIds()[j]), t.path("token").asText());
                j++;
            }
        }
        assertEquals(12, j);
    }
}
