package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alternatives per token ({@link Request.Builder#topLogprobs}) come from the sampler, from the
 * distribution the token's own logprob comes from: checked against the teacher-forced logits, and
 * unchanged by batching, by the samples of a request and by speculation.
 */
class TopLogprobsTest {
    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void alternativesAreTheMostLikelyTokensOfTheTeacherForcedLogits() {
        Request r = Request.builder().prompt("Once upon a time").maxTokens(24).topLogprobs(5).stopTokenIds()
                .sampling(Sampling.builder().temperature(0.9f).topK(40).seed(5).build()).build();
        List<TokenEvent> events = new ArrayList<>();
        Completion c = engine.generate(r, events::add);
        assertEquals(c.tokenIds().length, c.topLogprobs().size());
        int[] all = Stories260kTest.concat(c.promptTokenIds(), c.tokenIds());
        float[][] logits = engine.logits(Arrays.copyOf(all, all.length - 1));
        for (int i = 0; i < c.tokenIds().length; i++) {
            float[] row = logits[c.promptTokenIds().length - 1 + i];
            List<TopLogprob> top = c.topLogprobs().get(i);
            assertEquals(expectedTop(row, 5), ids(top), "alternatives of token " + i);
            double logZ = logSumExp(row);
            for (TopLogprob t : top) assertEquals(row[t.tokenId()] - logZ, t.logprob(), 1e-4, "token " + i);
            for (TopLogprob t : top) {
                // The chosen token's logprob is the same number when it is among the alternatives.
                if (t.tokenId() == c.tokenIds()[i]) assertEquals(c.logprobs()[i], t.logprob(), 0f);
            }
            assertEquals(top, events.get(i).topLogprobs(), "streamed alternatives of token " + i);
        }
    }

    @Test
    void greedyTokensAreTheFirstAlternative() {
        Completion c = engine.generate(Request.builder().prompt("Lily wanted to").maxTokens(30).topLogprobs(3).build());
        assertTrue(c.tokenIds().length > 0);
        for (int i = 0; i < c.tokenIds().length; i++) {
            TopLogprob first = c.topLogprobs().get(i).get(0);
            assertEquals(c.tokenIds()[i], first.tokenId(), "token " + i);
            assertEquals(c.logprobs()[i], first.logprob(), 0f, "token " + i);
        }
    }

    @Test
    void batchingSamplesAndSpeculationLeaveTheAlternativesUnchanged() {
        List<Request> alone = new ArrayList<>(), together = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Request.Builder b = Request.builder().prompt(i % 2 == 0 ? "Once upon a time" : "Lily wanted to")
                    .maxTokens(60).samples(1 + i % 3).stopTokenIds().topLogprobs(1 + 4 * i % 20)
                    .sampling(Sampling.builder().temperature(0.7f).topP(0.95f).seed(300 + i).build());
            alone.add(b.build());
            together.add(b.speculation(i % 2 == 0 ? Speculation.promptLookup(4) : Speculation.off()).build());
        }
        List<Generation> expected = new ArrayList<>();
        for (Request r : alone) expected.add(engine.generateAll(r));
        List<RequestHandle> handles = new ArrayList<>();
        for (Request r : together) handles.add(engine.submit(r));
        for (int i = 0; i < handles.size(); i++) {
            Generation g = handles.get(i).result().join();
            for (int s = 0; s < g.samples().size(); s++) {
                Completion want = expected.get(i).samples().get(s), got = g.samples().get(s);
                assertEquals(Arrays.toString(want.tokenIds()), Arrays.toString(got.tokenIds()), "request " + i);
                assertEquals(together.get(i).topLogprobs(), got.topLogprobs().get(0).size());
                for (int t = 0; t < want.tokenIds().length; t++) {
                    assertEquals(ids(want.topLogprobs().get(t)), ids(got.topLogprobs().get(t)), "request " + i + " token " + t);
                    for (int k = 0; k < want.topLogprobs().get(t).size(); k++) {
                        assertEquals(want.topLogprobs().get(t).get(k).logprob(), got.topLogprobs().get(t).get(k).logprob(),
                                1e-6f, "request " + i + " token " + t);
                    }
                }
            }
        }
    }

    @Test
    void withoutTopLogprobsNothingIsReportedAndBadCountsAreRefused() {
        Completion c = engine.generate(Request.builder().prompt("Once").maxTokens(4).logprobs(true).build());
        assertNull(c.topLogprobs());
        List<TokenEvent> events = new ArrayList<>();
        engine.generate(Request.builder().prompt("Once").maxTokens(4).build(), events::add);
        events.forEach(e -> assertEquals(List.of(), e.topLogprobs()));
        assertTrue(Request.builder().prompt("Once").topLogprobs(2).build().logprobs(), "top logprobs imply logprobs");
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> Request.builder().topLogprobs(21));
        assertTrue(tooMany.getMessage().contains("[0, 20]"), tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Request.builder().topLogprobs(-1));
    }

    /** The k highest logits' ids, highest first, ties to the lower id. */
    private static List<Integer> expectedTop(float[] row, int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < row.length; i++) order.add(i);
        order.sort((a, b) -> row[a] != row[b] ? Float.compare(row[b], row[a]) : Integer.compare(a, b));
        return order.subList(0, k);
    }

    private static List<Integer> ids(List<TopLogprob> top) {
        return top.stream().map(TopLogprob::tokenId).toList();
    }

    private static double logSumExp(float[] row) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : row) max = Math.max(max, v);
        for (float v : row) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }
}
