package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Generation;
import dev.euclid.PromptLogprobs;
import dev.euclid.Request;
import dev.euclid.TopLogprob;
import dev.euclid.Sampling;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/completions against the in-process API on the same engine: same tokens, OpenAI's shape. */
class CompletionsEndpointTest {
    private static ServerHarness h;

    @BeforeAll
    static void start() {
        h = ServerHarness.start(o -> o);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static Completion greedy(String prompt, int maxTokens) {
        return h.engine.generate(Request.builder().prompt(prompt).maxTokens(maxTokens).build());
    }

    @Test
    void greedyCompletionIsTheInProcessOne() {
        Completion expected = greedy("Once upon a time", 40);
        ServerHarness.Response r = h.post("/v1/completions",
                "{\"model\":\"stories260K\",\"prompt\":\"Once upon a time\",\"max_tokens\":40,\"temperature\":0}");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonNode j = r.json();
        assertTrue(j.path("id").asText().startsWith("cmpl-"), j.toString());
        assertEquals("text_completion", j.path("object").asText());
        assertEquals("stories260K", j.path("model").asText());
        assertTrue(Math.abs(j.path("created").asLong() - System.currentTimeMillis() / 1000) < 60);
        assertEquals(1, j.path("choices").size());
        JsonNode c = j.path("choices").get(0);
        assertEquals(0, c.path("index").asInt());
        assertEquals(expected.text(), c.path("text").asText());
        assertEquals(expected.finishReason().wireName(), c.path("finish_reason").asText());
        assertTrue(c.path("logprobs").isNull());
        assertEquals(expected.promptTokenIds().length, j.path("usage").path("prompt_tokens").asInt());
        assertEquals(expected.tokenIds().length, j.path("usage").path("completion_tokens").asInt());
        assertEquals(expected.promptTokenIds().length + expected.tokenIds().length, j.path("usage").path("total_tokens").asInt());
    }

    @Test
    void tokenIdPromptsAndBatchesOfPrompts() {
        Completion a = greedy("Once upon a time", 12), b = greedy("The cat", 12);
        StringBuilder ids = new StringBuilder();
        for (int id : a.promptTokenIds()) ids.append(ids.length() == 0 ? "" : ",").append(id);
        JsonNode one = h.post("/v1/completions", "{\"prompt\":[" + ids + "],\"max_tokens\":12,\"temperature\":0}").json();
        assertEquals(a.text(), one.path("choices").get(0).path("text").asText());
        assertEquals(a.promptTokenIds().length, one.path("usage").path("prompt_tokens").asInt());

        JsonNode batch = h.post("/v1/completions",
                "{\"prompt\":[\"Once upon a time\",[" + ids + "],\"The cat\"],\"max_tokens\":12,\"temperature\":0}").json();
        assertEquals(3, batch.path("choices").size());
        assertEquals(a.text(), batch.path("choices").get(0).path("text").asText());
        assertEquals(a.text(), batch.path("choices").get(1).path("text").asText());
        assertEquals(b.text(), batch.path("choices").get(2).path("text").asText());
        assertEquals(2, batch.path("choices").get(2).path("index").asInt());
        assertEquals(2 * a.promptTokenIds().length + b.promptTokenIds().length, batch.path("usage").path("prompt_tokens").asInt());
    }

    @Test
    void nSampledChoicesAreTheInProcessSamples() {
        Generation expected = h.engine.generateAll(Request.builder().prompt("Once upon a time").maxTokens(30).samples(4)
                .sampling(Sampling.builder().temperature(0.9f).topP(0.95f).topK(40).seed(11).build()).build());
        JsonNode j = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":30,\"n\":4,"
                + "\"temperature\":0.9,\"top_p\":0.95,\"top_k\":40,\"seed\":11}").json();
        assertEquals(4, j.path("choices").size());
        long tokens = 0;
        for (int i = 0; i < 4; i++) {
            assertEquals(i, j.path("choices").get(i).path("index").asInt());
            assertEquals(expected.samples().get(i).text(), j.path("choices").get(i).path("text").asText(), "choice " + i);
            tokens += expected.samples().get(i).tokenIds().length;
        }
        assertNotEquals(expected.samples().get(0).text(), expected.samples().get(1).text(), "samples draw with seed + i");
        assertEquals(tokens, j.path("usage").path("completion_tokens").asLong());
        assertEquals(expected.promptTokenIds().length, j.path("usage").path("prompt_tokens").asInt(), "the prompt counts once");
    }

    @Test
    void penaltiesAndMinPReachTheEngine() {
        Completion expected = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(40)
                .sampling(Sampling.builder().temperature(0).repetitionPenalty(1.3f).presencePenalty(0.5f)
                        .frequencyPenalty(0.4f).minP(0.05f).build()).build());
        JsonNode j = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":40,\"temperature\":0,"
                + "\"repetition_penalty\":1.3,\"presence_penalty\":0.5,\"frequency_penalty\":0.4,\"min_p\":0.05}").json();
        assertEquals(expected.text(), j.path("choices").get(0).path("text").asText());
        assertNotEquals(greedy("Once upon a time", 40).text(), expected.text(), "the penalties change this story");
    }

    @Test
    void stopStringsEndTheChoiceBeforeTheMatch() {
        Completion free = greedy("Once upon a time", 60);
        String stop = free.text().substring(20, 24);
        Completion expected = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(60)
                .stopStrings(stop, "zzzz").build());
        JsonNode c = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":60,\"temperature\":0,"
                + "\"stop\":[" + ServerHarness.JSON.valueToTree(stop) + ",\"zzzz\"]}").json().path("choices").get(0);
        assertEquals("stop", c.path("finish_reason").asText());
        assertEquals(expected.text(), c.path("text").asText());
        assertEquals(free.text().substring(0, free.text().indexOf(stop)), c.path("text").asText());
        JsonNode single = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":60,\"temperature\":0,"
                + "\"stop\":" + ServerHarness.JSON.valueToTree(stop) + "}").json().path("choices").get(0);
        assertEquals(expected.text(), single.path("text").asText());
    }

    @Test
    void logprobsAndTopAlternativesAreTheEngines() {
        Completion expected = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(20).topLogprobs(3).build());
        JsonNode lp = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":20,\"temperature\":0,"
                + "\"logprobs\":3}").json().path("choices").get(0).path("logprobs");
        int count = expected.tokenIds().length;
        assertEquals(count, lp.path("tokens").size());
        int offset = 0;
        for (int j = 0; j < count; j++) {
            int id = expected.tokenIds()[j];
            String token = TokenLogprob.text(h.engine.tokenizer(), id);
            assertEquals(token, lp.path("tokens").get(j).asText());
            assertEquals(expected.logprobs()[j], lp.path("token_logprobs").get(j).floatValue(), 0f, "position " + j);
            assertEquals(offset, lp.path("text_offset").get(j).asInt());
            offset += token.length();
            JsonNode top = lp.path("top_logprobs").get(j);
            // The sampler's alternatives, in its order (most likely first): greedy picks the first.
            assertEquals(3, top.size());
            var names = top.fieldNames();
            for (TopLogprob a : expected.topLogprobs().get(j)) {
                String name = TokenLogprob.text(h.engine.tokenizer(), a.tokenId());
                assertEquals(name, names.next(), "position " + j);
                assertEquals(a.logprob(), top.path(name).floatValue(), 0f, "position " + j);
            }
            assertEquals(token, top.fieldNames().next());
        }
        JsonNode zero = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":20,\"temperature\":0,"
                + "\"logprobs\":0}").json().path("choices").get(0).path("logprobs");
        assertEquals(count, zero.path("token_logprobs").size());
        assertEquals(0, zero.path("top_logprobs").get(0).size());
    }

    @Test
    void aStopTokenIsLeftOutOfTheLogprobs() {
        Completion expected = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(400).logprobs(true).build());
        assertEquals("stop", expected.finishReason().wireName(), "the story ends on its stop token within 400 tokens");
        JsonNode c = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":400,\"temperature\":0,"
                + "\"logprobs\":1}").json().path("choices").get(0);
        assertEquals(expected.text(), c.path("text").asText());
        assertEquals(expected.tokenIds().length - 1, c.path("logprobs").path("tokens").size());
        StringBuilder joined = new StringBuilder();
        c.path("logprobs").path("tokens").forEach(t -> joined.append(t.asText()));
        assertEquals(expected.text(), joined.toString());
    }

    @Test
    void ignoreEosRunsPastTheStopTokenToMaxTokens() {
        Completion stops = greedy("Once upon a time", 400);
        assertEquals("stop", stops.finishReason().wireName());
        int length = stops.tokenIds().length + 20;
        Completion expected = h.engine.generate(Request.builder().prompt("Once upon a time").maxTokens(length).stopTokenIds().build());
        JsonNode j = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":" + length
                + ",\"temperature\":0,\"ignore_eos\":true}").json();
        assertEquals(expected.text(), j.path("choices").get(0).path("text").asText());
        assertEquals("length", j.path("choices").get(0).path("finish_reason").asText());
        assertEquals(length, j.path("usage").path("completion_tokens").asInt());
    }

    @Test
    void echoPrependsThePromptAndMaxTokensEndsWithLength() {
        Completion expected = greedy("Once upon a time", 5);
        JsonNode c = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":5,\"temperature\":0,"
                + "\"echo\":true}").json().path("choices").get(0);
        assertEquals("Once upon a time" + expected.text(), c.path("text").asText());
        assertEquals("length", c.path("finish_reason").asText());
        assertEquals(5, expected.tokenIds().length);
    }

    @Test
    void echoWithLogprobsScoresThePromptTokensThenTheGeneratedOnes() {
        Completion expected = h.engine.generate(Request.builder().prompt("Lily wanted to").maxTokens(8).logprobs(true)
                .topLogprobs(2).build());
        int[] prompt = expected.promptTokenIds();
        PromptLogprobs scored = h.engine.promptLogprobs(prompt, 2);
        JsonNode lp = h.post("/v1/completions", "{\"prompt\":\"Lily wanted to\",\"max_tokens\":8,\"temperature\":0,"
                + "\"echo\":true,\"logprobs\":2}").json().path("choices").get(0).path("logprobs");
        int n = prompt.length + expected.tokenIds().length;
        assertEquals(n, lp.path("tokens").size());
        assertTrue(lp.path("token_logprobs").get(0).isNull(), "the first prompt token has nothing before it");
        assertTrue(lp.path("top_logprobs").get(0).isNull());
        int offset = 0;
        for (int t = 0; t < n; t++) {
            boolean inPrompt = t < prompt.length;
            int id = inPrompt ? prompt[t] : expected.tokenIds()[t - prompt.length];
            assertEquals(TokenLogprob.text(h.engine.tokenizer(), id), lp.path("tokens").get(t).asText(), "token " + t);
            assertEquals(offset, lp.path("text_offset").get(t).asInt(), "offset of token " + t);
            offset += lp.path("tokens").get(t).asText().length();
            if (t == 0) continue;
            float want = inPrompt ? scored.logprobs()[t] : expected.logprobs()[t - prompt.length];
            assertEquals(want, lp.path("token_logprobs").get(t).floatValue(), 0f, "logprob of token " + t);
            assertEquals(2, lp.path("top_logprobs").get(t).size(), "alternatives of token " + t);
        }
    }

    @Test
    void withoutASeedSampledRequestsDiffer() {
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":30,\"temperature\":1}";
        String first = h.post("/v1/completions", body).json().path("choices").get(0).path("text").asText();
        boolean differs = false;
        for (int i = 0; i < 5 && !differs; i++) {
            differs = !first.equals(h.post("/v1/completions", body).json().path("choices").get(0).path("text").asText());
        }
        assertTrue(differs, "six unseeded samples at temperature 1 were all equal: " + first);
        String seeded = body.replace("}", ",\"seed\":5}");
        assertEquals(h.post("/v1/completions", seeded).body().replaceAll("\"(id|created)\":[^,]*,", ""),
                h.post("/v1/completions", seeded).body().replaceAll("\"(id|created)\":[^,]*,", ""));
    }

    @Test
    void unknownFieldsAreIgnored() {
        Completion expected = greedy("Once upon a time", 8);
        JsonNode j = h.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":8,\"temperature\":0,"
                + "\"user\":\"me\",\"best_of\":1,\"suffix\":null,\"whatever\":{\"nested\":[1,2]}}").json();
        assertEquals(expected.text(), j.path("choices").get(0).path("text").asText());
        assertFalse(j.has("error"));
    }
}
