package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A prompt's log-probabilities ({@link Engine#promptLogprobs}) are the numbers generation reports
 * for the same tokens at the same positions, and the log-softmax of the teacher-forced logits.
 */
class PromptLogprobsTest {
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
    void generatedTokensScoreAsGenerationReportedThem() {
        Request r = Request.builder().prompt("Lily wanted to").maxTokens(40).topLogprobs(4).stopTokenIds()
                .sampling(Sampling.builder().temperature(0.8f).topK(30).seed(11).build()).build();
        Completion c = engine.generate(r);
        int[] all = Stories260kTest.concat(c.promptTokenIds(), c.tokenIds());
        PromptLogprobs p = engine.promptLogprobs(all, 4);
        int at = c.promptTokenIds().length;
        for (int i = 0; i < c.tokenIds().length; i++) {
            assertEquals(c.logprobs()[i], p.logprobs()[at + i], 0f, "token " + i);
            assertEquals(c.topLogprobs().get(i), p.topLogprobs().get(at + i), "alternatives of token " + i);
        }
    }

    @Test
    void everyPositionIsTheLogSoftmaxOfTheTeacherForcedLogits() {
        // Longer than one chunk of the engine's steps would be needed to cross chunks; the scoring
        // path chunks like logits() does, so a long sequence checks the chunk seams too.
        int[] ids = engine.tokenizer().encode("Once upon a time, there was a little girl named Lily. She loved to play"
                + " outside in the park with her friends. One day, she saw a big red ball under a tree.");
        PromptLogprobs p = engine.promptLogprobs(ids, 3);
        assertTrue(Float.isNaN(p.logprobs()[0]), "the first token has nothing before it");
        assertEquals(List.of(), p.topLogprobs().get(0));
        float[][] logits = engine.logits(Arrays.copyOf(ids, ids.length - 1));
        for (int t = 1; t < ids.length; t++) {
            float[] row = logits[t - 1];
            double logZ = logSumExp(row);
            assertEquals(row[ids[t]] - logZ, p.logprobs()[t], 1e-4, "position " + t);
            List<TopLogprob> top = p.topLogprobs().get(t);
            assertEquals(3, top.size());
            assertEquals(argmax(row), top.get(0).tokenId(), "most likely token at " + t);
            assertTrue(top.get(0).logprob() >= top.get(1).logprob() && top.get(1).logprob() >= top.get(2).logprob());
            assertTrue(top.get(0).logprob() >= p.logprobs()[t], "nothing beats the most likely token at " + t);
        }
    }

    @Test
    void oneTokenHasNothingToScore() {
        PromptLogprobs p = engine.promptLogprobs(new int[] {1}, 5);
        assertEquals(1, p.logprobs().length);
        assertTrue(Float.isNaN(p.logprobs()[0]));
    }

    @Test
    void badArgumentsAreRefusedByName() {
        int vocab = engine.info().vocabSize();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.promptLogprobs(new int[0], 0))
                .getMessage().contains("empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.promptLogprobs(new int[] {1, 2}, 21))
                .getMessage().contains("topLogprobs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> engine.promptLogprobs(new int[] {1, vocab}, 0))
                .getMessage().contains(String.valueOf(vocab)));
        int[] tooLong = new int[engine.info().contextLength() + 1];
        Arrays.fill(tooLong, 1);
        assertThrows(IllegalArgumentException.class, () -> engine.promptLogprobs(tooLong, 0));
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    private static double logSumExp(float[] row) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float v : row) max = Math.max(max, v);
        for (float v : row) sum += Math.exp(v - max);
        return max + Math.log(sum);
    }
}
