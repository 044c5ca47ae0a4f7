package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Generation;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.TopLogprob;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Completions over server-sent events: one chunk per token, each choice finished once, then [DONE]. */
class StreamingTest {
    private static ServerHarness h;

    @BeforeAll
    static void start() {
        h = ServerHarness.start(o -> o);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void streamedTextIsTheInProcessText() {
        Completion expected = h.engine.generate(Request.of("Once upon a time", 60));
        ServerHarness.Stream s = h.stream("/v1/completions",
                "{\"prompt\":\"Once upon a time\",\"max_tokens\":60,\"temperature\":0,\"stream\":true}");
        assertEquals(200, s.status());
        assertTrue(s.done());
        assertEquals(expected.text(), s.text(0));
        assertEquals(expected.finishReason().wireName(), s.finishReason(0));
        // One chunk per token that completes text, plus the finishing chunk.
        assertTrue(s.events().size() >= expected.tokenIds().length / 2, "tokens are streamed one by one: " + s.events().size());
        for (JsonNode e : s.events()) assertEquals("text_completion", e.path("object").asText());
    }

    @Test
    void nStreamedChoicesInterleaveAndEachIsItsSample() {
        Generation expected = h.engine.generateAll(Request.builder().prompt("Once upon a time").maxTokens(40).samples(6)
                .sampling(Sampling.builder().temperature(0.8f).seed(3).build()).build());
        ServerHarness.Stream s = h.stream("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":40,"
                + "\"temperature\":0.8,\"seed\":3,\"n\":6,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
        assertTrue(s.done());
        long tokens = 0;
        for (int i = 0; i < 6; i++) {
            assertEquals(expected.samples().get(i).text(), s.text(i), "choice " + i);
            assertEquals(expected.samples().get(i).finishReason().wireName(), s.finishReason(i));
            tokens += expected.samples().get(i).tokenIds().length;
        }
        JsonNode usage = s.events().get(s.events().size() - 1).path("usage");
        assertEquals(tokens, usage.path("completion_tokens").asLong());
    }

    @Test
    void streamedStopStringsAreNeverEmitted() {
        Completion free = h.engine.generate(Request.of("Once upon a time", 80));
        String stop = free.text().substring(30, 33);
        ServerHarness.Stream s = h.stream("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":80,"
                + "\"temperature\":0,\"stream\":true,\"stop\":" + ServerHarness.JSON.valueToTree(stop) + "}");
        assertEquals(free.text().substring(0, free.text().indexOf(stop)), s.text(0));
        assertEquals("stop", s.finishReason(0));
    }

    @Test
    void echoStreamsThePromptFirst() {
        Completion expected = h.engine.generate(Request.of("Once upon a time", 6));
        ServerHarness.Stream s = h.stream("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":6,"
                + "\"temperature\":0,\"stream\":true,\"echo\":true}");
        assertEquals("Once upon a time", s.events().get(0).path("choices").get(0).path("text").asText());
        assertEquals("Once upon a time" + expected.text(), s.text(0));
    }

    @Test
    void echoWithLogprobsStreamsThePromptsScoresFirst() {
        Completion expected = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(6).logprobs(true).build());
        float[] prompt = h.engine.promptLogprobs(expected.promptTokenIds(), 0).logprobs();
        ServerHarness.Stream s = h.stream("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":6,"
                + "\"temperature\":0,\"stream\":true,\"echo\":true,\"logprobs\":0}");
        JsonNode first = s.events().get(0).path("choices").get(0).path("logprobs");
        assertEquals(prompt.length, first.path("tokens").size());
        assertTrue(first.path("token_logprobs").get(0).isNull());
        for (int t = 1; t < prompt.length; t++) {
            assertEquals(prompt[t], first.path("token_logprobs").get(t).floatValue(), 0f, "prompt token " + t);
        }
        int j = 0, offset = 0;
        for (JsonNode e : s.events()) {
            JsonNode lp = e.path("choices").get(0).path("logprobs");
            if (lp.isNull() || lp.isMissingNode()) continue;
            for (int k = 0; k < lp.path("tokens").size(); k++, j++) {
                assertEquals(offset, lp.path("text_offset").get(k).asInt(), "offset of token " + j);
                offset += lp.path("tokens").get(k).asText().length();
                if (j >= prompt.length) {
                    assertEquals(expected.logprobs()[j - prompt.length], lp.path("token_logprobs").get(k).floatValue(), 0f);
                }
            }
        }
        assertEquals(prompt.length + 6, j);
    }

    @Test
    void streamedLogprobsOffsetsFollowTheText() {
        Completion expected = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(15).logprobs(true).build());
        ServerHarness.Stream s = h.stream("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":15,"
                + "\"temperature\":0,\"stream\":true,\"logprobs\":0}");
        int j = 0, offset = 0;
        for (JsonNode e : s.events()) {
            JsonNode lp = e.path("choices").get(0).path("logprobs");
            if (lp.isNull()) continue;
            for (int k = 0; k < lp.path("tokens").size(); k++, j++) {
                assertEquals(expected.logprobs()[j], lp.path("token_logprobs").get(k).floatValue(), 0f);
                assertEquals(offset, lp.path("text_offset").get(k).asInt());
                offset += lp.path("tokens").get(k).asText().length();
            }
        }
        assertEquals(15, j);
    }

    @Test
    void streamedTopLogprobsAreTheSamplersForEverySample() {
        Generation expected = h.engine.generateAll(Request.builder().prompt("Once upon a time").maxTokens(20).samples(2)
                .topLogprobs(4).stopTokenIds().sampling(Sampling.builder().temperature(0.8f).seed(11).build()).build());
        ServerHarness.Stream s = h.stream("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":20,"
                + "\"temperature\":0.8,\"seed\":11,\"n\":2,\"stream\":true,\"logprobs\":4,\"ignore_eos\":true}");
        assertTrue(s.done());
        int[] seen = new int[2];
        for (JsonNode e : s.events()) {
            JsonNode choice = e.path("choices").get(0);
            JsonNode lp = choice.path("logprobs");
            if (lp.isNull()) continue;
            int i = choice.path("index").asInt();
            Completion c = expected.samples().get(i);
            for (int k = 0; k < lp.path("tokens").size(); k++, seen[i]++) {
                int j = seen[i];
                assertEquals(c.logprobs()[j], lp.path("token_logprobs").get(k).floatValue(), 0f);
                JsonNode top = lp.path("top_logprobs").get(k);
                var names = top.fieldNames();
                for (TopLogprob a : c.topLogprobs().get(j)) {
                    String name = TokenLogprob.text(h.engine.tokenizer(), a.tokenId());
                    assertEquals(name, names.next(), "choice " + i + " token " + j);
                    assertEquals(a.logprob(), top.path(name).floatValue(), 0f, "choice " + i + " token " + j);
                }
            }
        }
        assertEquals(20, seen[0]);
        assertEquals(20, seen[1]);
    }

    @Test
    void streamedChatCarriesTopLogprobs() {
        Completion expected = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(12).topLogprobs(3)
                .build());
        ServerHarness.Stream s = h.stream("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Once upon a time\"}],\"max_tokens\":12,\"temperature\":0,\"stream\":true,\"logprobs\":true,"
                + "\"top_logprobs\":3}");
        assertTrue(s.done());
        int j = 0;
        for (JsonNode e : s.events()) {
            for (JsonNode t : e.path("choices").get(0).path("logprobs").path("content")) {
                assertEquals(expected.logprobs()[j], t.path("logprob").floatValue(), 0f);
                List<TopLogprob> want = expected.topLogprobs().get(j);
                assertEquals(want.size(), t.path("top_logprobs").size());
                for (int k = 0; k < want.size(); k++) {
                    JsonNode a = t.path("top_logprobs").get(k);
                    assertEquals(TokenLogprob.text(h.engine.tokenizer(), want.get(k).tokenId()), a.path("token").asText());
                    assertEquals(want.get(k).logprob(), a.path("logprob").floatValue(), 0f);
                }
                j++;
            }
        }
        assertEquals(expected.tokenIds().length, j);
    }
}
