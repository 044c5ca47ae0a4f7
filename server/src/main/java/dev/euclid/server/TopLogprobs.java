package dev.euclid.server;

import dev.euclid.Engine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The most likely alternatives at each generated position. The engine's step reports only the
 * chosen token's log-probability (logits never leave native code while generating), so the
 * alternatives are computed after generation by scoring the finished sequence once more,
 * teacher-forced ({@link Engine#logits}): the kernels reduce in a fixed order, so these are the
 * distributions the tokens were drawn from. That costs one prefill of the sequence and a row of
 * logits per position on the Java heap, hence the limit.
 */
final class TopLogprobs {
    /** Logits one request may score for alternatives (positions x vocabulary): 64 MiB of floats. */
    static final long MAX_LOGITS = 16L << 20;

    private TopLogprobs() {}

    /** Refuses, before anything runs, a request whose alternatives would need too many logits. */
    static void check(Engine engine, GenerationSpec spec, String param) {
        if (spec.topLogprobs() <= 0) return;
        int context = engine.info().contextLength();
        for (GenerationSpec.Prompt p : spec.prompts()) {
            long positions = Math.min((long) p.ids().length + spec.maxTokens(), context);
            if (positions * engine.info().vocabSize() > MAX_LOGITS) {
                throw ApiException.invalid(param, "alternatives per token for a prompt of " + p.ids().length
                        + " tokens plus up to " + spec.maxTokens() + " new tokens would score " + positions + " positions x "
                        + engine.info().vocabSize() + " logits; this server scores at most " + MAX_LOGITS
                        + " per request: lower max_tokens or ask without top logprobs");
            }
        }
    }

    /** For each of the first {@code count} generated tokens: the {@code k} most likely tokens at its position. */
    static List<List<TokenLogprob.Alternative>> compute(Engine engine, int[] prompt, int[] generated, int count, int k) {
        if (count == 0) return List.of();
        int[] fed = Arrays.copyOf(prompt, prompt.length + count - 1);
        System.arraycopy(generated, 0, fed, prompt.length, count - 1);
        float[][] logits = engine.logits(fed);
        List<List<TokenLogprob.Alternative>> out = new ArrayList<>(count);
        for (int j = 0; j < count; j++) out.add(best(logits[prompt.length - 1 + j], k));
        return out;
    }

    private static List<TokenLogprob.Alternative> best(float[] row, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) max = Math.max(max, v);
        double sum = 0;
        for (float v : row) sum += Math.exp(v - max);
        double logZ = max + Math.log(sum);
        // k is at most 20: a selection pass per alternative beats sorting the vocabulary.
        List<TokenLogprob.Alternative> top = new ArrayList<>(k);
        boolean[] taken = new boolean[row.length];
        for (int r = 0; r < Math.min(k, row.length); r++) {
            int best = -1;
            for (int i = 0; i < row.length; i++) if (!taken[i] && (best < 0 || row[i] > row[best])) best = i;
            taken[best] = true;
            top.add(new TokenLogprob.Alternative(best, (float) (row[best] - logZ)));
        }
        return top;
    }
}
