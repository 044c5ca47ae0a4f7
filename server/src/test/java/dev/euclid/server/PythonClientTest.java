package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Generation;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.TopLogprob;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The official Python client (openai 3.22.1 from the local wheel store) against the server (item 4b). */
class PythonClientTest {
    @Test
    void pythonClientGetsTheInProcessTokens() throws Exception {
        Path python = ExternalTools.pythonWithOpenAi();
        Path script = Path.of(PythonClientTest.class.getResource("/clients/openai_python_check.py").toURI());
        try (ServerHarness h = ServerHarness.start(o -> o.withApiKey("sk-python"))) {
            String out = ExternalTools.run(List.of(python.toString(), script.toString(), h.base + "/v1", "sk-python",
                    ServerHarness.MODEL), 300);
            JsonNode j = ServerHarness.JSON.readTree(out);

            Completion c = greedy(h, "Once upon a time", 40, false);
            assertEquals(c.text(), j.path("completion").path("text").asText());
            assertEquals(c.finishReason().wireName(), j.path("completion").path("finish_reason").asText());
            assertEquals(c.promptTokenIds().length, j.path("completion").path("prompt_tokens").asInt());
            assertEquals(c.tokenIds().length, j.path("completion").path("completion_tokens").asInt());

            Generation n4 = h.engine.generateAll(Request.builder().prompt("Once upon a time").maxTokens(30).samples(4)
                    .sampling(Sampling.builder().temperature(0.8f).seed(7).build()).build());
            for (int i = 0; i < 4; i++) assertEquals(n4.samples().get(i).text(), j.path("n4").get(i).asText(), "n=4, choice " + i);

            Completion stopped = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(60)
                    .stopStrings("Lily").build());
            assertEquals("stop", j.path("stop").path("finish_reason").asText());
            assertEquals(stopped.text(), j.path("stop").path("text").asText());
            assertTrue(greedy(h, "Once upon a time", 60, false).text().contains("Lily"), "the stop string does occur");

            Completion lp = greedy(h, "Once upon a time", 10, true);
            JsonNode logprobs = j.path("logprobs");
            for (int k = 0; k < 10; k++) {
                assertEquals(TokenLogprob.text(h.engine.tokenizer(), lp.tokenIds()[k]), logprobs.path("tokens").get(k).asText());
                assertEquals(lp.logprobs()[k], logprobs.path("token_logprobs").get(k).floatValue(), 1e-6f);
                assertEquals(2, logprobs.path("top_logprobs").get(k).size());
            }

            Completion chat = greedy(h, "Once upon a time", 40, true);
            assertEquals(chat.text(), j.path("chat").path("content").asText());
            assertEquals("assistant", j.path("chat").path("role").asText());
            assertEquals(40, j.path("chat").path("logprobs").size());
            assertEquals(chat.logprobs()[39], j.path("chat").path("logprobs").get(39).floatValue(), 1e-6f);
            assertEquals(chat.text(), j.path("chat_stream").path("content").asText());
            assertTrue(j.path("chat_stream").path("chunks").asInt() > 10, j.toString());
            assertEquals(chat.tokenIds().length, j.path("chat_stream").path("completion_tokens").asInt());

            // echo with logprobs: the prompt's tokens scored first (the first null), then the answer's.
            Completion five = greedy(h, "Once upon a time", 5, true);
            float[] scored = h.engine.promptLogprobs(five.promptTokenIds(), 1).logprobs();
            JsonNode echo = j.path("echo_logprobs");
            int p = five.promptTokenIds().length;
            assertEquals("Once upon a time" + five.text(), echo.path("text").asText());
            assertEquals(p + 5, echo.path("tokens").size(), echo.toString());
            assertTrue(echo.path("token_logprobs").get(0).isNull() && echo.path("top_logprobs").get(0).isNull(), echo.toString());
            for (int k = 1; k < p + 5; k++) {
                float want = k < p ? scored[k] : five.logprobs()[k - p];
                assertEquals(want, echo.path("token_logprobs").get(k).floatValue(), 1e-6f, "echoed token " + k);
            }

            Completion top = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(12).topLogprobs(3)
                    .build());
            JsonNode streamedTop = j.path("chat_stream_logprobs");
            assertEquals(top.tokenIds().length, streamedTop.size(), streamedTop.toString());
            for (int k = 0; k < streamedTop.size(); k++) {
                JsonNode t = streamedTop.get(k);
                assertEquals(TokenLogprob.text(h.engine.tokenizer(), top.tokenIds()[k]), t.path("token").asText());
                assertEquals(top.logprobs()[k], t.path("logprob").floatValue(), 1e-6f);
                for (int a = 0; a < 3; a++) {
                    TopLogprob want = top.topLogprobs().get(k).get(a);
                    assertEquals(TokenLogprob.text(h.engine.tokenizer(), want.tokenId()), t.path("top").get(a).get(0).asText());
                    assertEquals(want.logprob(), t.path("top").get(a).get(1).floatValue(), 1e-6f, "token " + k);
                }
            }

            Generation n3 = h.engine.generateAll(Request.builder().prompt("Once upon a time").maxTokens(25).samples(3)
                    .sampling(Sampling.builder().temperature(0.8f).seed(7).build()).build());
            for (int i = 0; i < 3; i++) {
                assertEquals(n3.samples().get(i).text(), j.path("completion_stream_n3").get(i).asText(), "streamed choice " + i);
            }
            assertEquals("[\"stories260K\"]", j.path("models").toString());
            assertEquals("NotFoundError", j.path("unknown_model").asText());
        }
    }

    private static Completion greedy(ServerHarness h, String prompt, int maxTokens, boolean logprobs) {
        return h.engine.generate(Request.builder().prompt(prompt).maxTokens(maxTokens).logprobs(logprobs).build());
    }
}
