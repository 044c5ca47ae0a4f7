package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.internal.sched.AcceptanceRule;
import dev.euclid.testing.SharedModels;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Speculative sampling keeps the model's distribution: 20,000 samples of the two tokens after a
 * fixed prompt on stories260K, the second one drafted and verified, pass a chi-square test against
 * the model's own probabilities p(t1) p(t2 | t1); the same test fails when the acceptance rule
 * is deliberately wrong (drafts accepted without checking), so it has the power to notice.
 */
class SpeculativeSamplingDistributionTest {
    private static final int DRAWS = 20_000, PER_REQUEST = 500;

    @Test
    void exactAcceptanceKeepsTheDistributionAndABrokenRuleIsCaught() {
        try (Engine e = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults().withKv(KvOptions.defaults().withBudgetBytes(16L << 20)).withSpeculativeStepTokens(4096))) {
            int[] prompt = e.tokenizer().encode("Once upon a time, there was a");
            int vocab = e.info().vocabSize();
            double[] p1 = softmax(last(e.logits(prompt)));
            double[][] p2 = new double[vocab][];
            int[] draft = new int[vocab]; // for each first token, the most likely second one: a strong draft
            for (int t1 = 0; t1 < vocab; t1++) {
                if (p1[t1] * DRAWS < 0.05) continue;
                int[] ids = java.util.Arrays.copyOf(prompt, prompt.length + 1);
                ids[prompt.length] = t1;
                p2[t1] = softmax(last(e.logits(ids)));
                draft[t1] = argmax(p2[t1]);
            }
            DraftProposer proposer = (tokens, length, max) ->
                    length == prompt.length + 1 ? new int[][] {{draft[tokens[length - 1]]}} : new int[0][];

            double statistic = chiSquare(sample(e, prompt, proposer), p1, p2, vocab);
            double critical = criticalValue(bins(p1, p2, vocab) - 1);
            assertTrue(statistic < critical, "exact rule: chi-square " + statistic + " >= " + critical);
            assertTrue(e.metrics().meanTokensPerVerification() > 1.2, "drafts were verified and accepted");

            e.useAcceptanceRule((tree, node, sampled) -> tree.size() > node ? node + 1 : -1); // takes every draft
            double broken = chiSquare(sample(e, prompt, proposer), p1, p2, vocab);
            assertTrue(broken > critical, "broken rule: chi-square " + broken + " <= " + critical);
            System.out.printf("chi-square over %d bins: exact rule %.1f, broken rule %.1f, 0.999 critical value %.1f%n",
                    bins(p1, p2, vocab), statistic, broken, critical);
        }
    }

    /** Counts of (t1, t2) over DRAWS samples at temperature 1, the second token drafted by the proposer. */
    private static Map<Long, Integer> sample(Engine e, int[] prompt, DraftProposer proposer) {
        Map<Long, Integer> counts = new HashMap<>();
        for (int r = 0; r < DRAWS / PER_REQUEST; r++) {
            Generation g = e.generateAll(Request.builder().promptTokens(prompt).maxTokens(3).stopTokenIds()
                    .samples(PER_REQUEST).sampling(Sampling.builder().temperature(1f).seed(1_000_000L * r).build())
                    .speculation(Speculation.proposer(proposer, 1)).build());
            for (Completion c : g.samples()) counts.merge(key(c.tokenIds()[0], c.tokenIds()[1]), 1, Integer::sum);
        }
        return counts;
    }

    /** Pearson's statistic over the pairs expected at least 5 times, the rest pooled into one bin. */
    private static double chiSquare(Map<Long, Integer> counts, double[] p1, double[][] p2, int vocab) {
        double stat = 0, restExpected = DRAWS;
        long restObserved = DRAWS;
        for (int a = 0; a < vocab; a++) {
            if (p2[a] == null) continue;
            for (int b = 0; b < vocab; b++) {
                double expected = DRAWS * p1[a] * p2[a][b];
                if (expected < 5) continue;
                int observed = counts.getOrDefault(key(a, b), 0);
                stat += (observed - expected) * (observed - expected) / expected;
                restExpected -= expected;
                restObserved -= observed;
            }
        }
        return stat + (restObserved - restExpected) * (restObserved - restExpected) / restExpected;
    }

    private static int bins(double[] p1, double[][] p2, int vocab) {
        int n = 1;
        for (int a = 0; a < vocab; a++) {
            if (p2[a] == null) continue;
            for (int b = 0; b < vocab; b++) if (DRAWS * p1[a] * p2[a][b] >= 5) n++;
        }
        return n;
    }

    /** The 0.999 quantile of chi-square with df degrees of freedom (Wilson–Hilferty). */
    private static double criticalValue(int df) {
        double z = 3.090, h = 2.0 / (9 * df);
        return df * Math.pow(1 - h + z * Math.sqrt(h), 3);
    }

    private static long key(int a, int b) {
        return (long) a << 32 | b;
    }

    private static float[] last(float[][] logits) {
        return logits[logits.length - 1];
    }

    private static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
