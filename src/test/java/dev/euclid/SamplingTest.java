package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sampling on the real model: seeds reproduce, parameters do what they say, logprobs are right. */
class SamplingTest {
    private static Engine engine;

    @BeforeAll
    static void open() {
        engine = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static int[] sample(Sampling s, int n) {
        return engine.generate(Request.builder().prompt("Once upon a time").maxTokens(n).sampling(s)
                .stopTokenIds().build()).tokenIds();
    }

    @Test
    void sameSeedSameTokensDifferentSeedDifferentTokens() {
        Sampling s = Sampling.builder().temperature(1.0f).seed(42).build();
        int[] a = sample(s, 64);
        assertArrayEquals(a, sample(s, 64));
        Set<String> distinct = new HashSet<>();
        for (long seed = 0; seed < 8; seed++) {
            distinct.add(java.util.Arrays.toString(sample(s.toBuilder().seed(seed).build(), 64)));
        }
        assertTrue(distinct.size() >= 7, "8 seeds gave only " + distinct.size() + " distinct samples");
    }

    @Test
    void topKOneAndTinyTopPAreGreedy() {
        int[] greedy = sample(Sampling.greedy(), 48);
        assertArrayEquals(greedy, sample(Sampling.builder().temperature(1.5f).topK(1).seed(3).build(), 48));
        assertArrayEquals(greedy, sample(Sampling.builder().temperature(1.5f).topP(1e-6f).seed(3).build(), 48));
    }

    @Test
    void minPOfOneIsGreedyAndPenaltiesChangeWhatIsChosen() {
        int[] greedy = sample(Sampling.greedy(), 60);
        assertArrayEquals(greedy, sample(Sampling.builder().temperature(1.3f).minP(1.0f).seed(4).build(), 60));
        // A presence penalty far above any logit gap forbids every token already generated.
        int[] distinct = sample(Sampling.builder().presencePenalty(100f).build(), 60);
        assertEquals(60, java.util.Arrays.stream(distinct).distinct().count(), java.util.Arrays.toString(distinct));
        // The greedy story repeats itself; a repetition penalty makes it repeat less.
        int[] penalized = sample(Sampling.builder().repetitionPenalty(1.8f).build(), 60);
        assertTrue(java.util.Arrays.stream(penalized).distinct().count() > java.util.Arrays.stream(greedy).distinct().count());
        // Penalties leave the reported log-probabilities on the unmodified distribution.
        Completion c = engine.generate(Request.builder().prompt("Once upon a time").maxTokens(20).logprobs(true)
                .stopTokenIds().sampling(Sampling.builder().frequencyPenalty(2f).build()).build());
        int[] all = Stories260kTest.concat(c.promptTokenIds(), c.tokenIds());
        float[][] logits = engine.logits(java.util.Arrays.copyOf(all, all.length - 1));
        for (int i = 0; i < c.tokenIds().length; i++) {
            float[] row = logits[c.promptTokenIds().length - 1 + i];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : row) max = Math.max(max, v);
            for (float v : row) sum += Math.exp(v - max);
            assertEquals(row[c.tokenIds()[i]] - max - Math.log(sum), c.logprobs()[i], 1e-4);
        }
    }

    @Test
    void topKBoundsTheChoiceAtEveryStep() {
        // With top-k 3 every sampled token must be among the 3 most likely after its prefix.
        Request r = Request.builder().prompt("Lily wanted to").maxTokens(40).stopTokenIds()
                .sampling(Sampling.builder().temperature(2.0f).topK(3).seed(9).build()).build();
        Completion c = engine.generate(r);
        int[] all = Stories260kTest.concat(c.promptTokenIds(), c.tokenIds());
        float[][] logits = engine.logits(java.util.Arrays.copyOf(all, all.length - 1));
        for (int i = 0; i < c.tokenIds().length; i++) {
            float[] row = logits[c.promptTokenIds().length - 1 + i];
            float chosen = row[c.tokenIds()[i]];
            int higher = 0;
            for (float v : row) if (v > chosen) higher++;
            assertTrue(higher < 3, "token " + i + " had " + higher + " more likely tokens");
        }
    }

    @Test
    void logprobsEqualLogSoftmaxOfTheLogits() {
        Request r = Request.builder().prompt("Once upon a time").maxTokens(12).logprobs(true).stopTokenIds()
                .sampling(Sampling.builder().temperature(0.9f).seed(5).build()).build();
        List<TokenEvent> events = new ArrayList<>();
        Completion c = engine.generate(r, events::add);
        int[] all = Stories260kTest.concat(c.promptTokenIds(), c.tokenIds());
        float[][] logits = engine.logits(java.util.Arrays.copyOf(all, all.length - 1));
        for (int i = 0; i < c.tokenIds().length; i++) {
            float[] row = logits[c.promptTokenIds().length - 1 + i];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (float v : row) max = Math.max(max, v);
            for (float v : row) sum += Math.exp(v - max);
            double expected = row[c.tokenIds()[i]] - max - Math.log(sum);
            assertEquals(expected, c.logprobs()[i], 1e-4, "logprob of token " + i);
            assertEquals(c.logprobs()[i], events.get(i).logprob());
            assertEquals(c.tokenIds()[i], events.get(i).tokenId());
        }
        StringBuilder streamed = new StringBuilder();
        events.forEach(e -> streamed.append(e.text()));
        assertEquals(c.text(), streamed.toString());
        assertFalse(c.text().isEmpty());
    }

    @Test
    void defaultStopTokenIsBosForLlama2c() {
        assertArrayEquals(new int[] {1}, engine.defaultStopTokenIds());
        // Sample until the model ends its story with BOS, as llama2.c's run.c does.
        for (long seed = 0; seed < 20; seed++) {
            Completion c = engine.generate(Request.builder().prompt("Once upon a time").maxTokens(400)
                    .sampling(Sampling.builder().temperature(1.0f).seed(seed).build()).build());
            if (c.finishReason() == FinishReason.STOP) {
                assertEquals(1, c.tokenIds()[c.tokenIds().length - 1]);
                return;
            }
        }
        throw new AssertionError("no sample of 400 tokens ended with BOS in 20 seeds");
    }
}
