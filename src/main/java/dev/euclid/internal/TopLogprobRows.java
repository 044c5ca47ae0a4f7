package dev.euclid.internal;

import dev.euclid.TopLogprob;
import java.util.List;

/** Reads the alternatives the native sampler wrote for one sampled row (ids and log-probabilities side by side). */
final class TopLogprobRows {
    private TopLogprobRows() {}

    /** Entries {@code [from, from + n)} of the two arrays as a list, most likely first; List.of() for n = 0. */
    static List<TopLogprob> read(int[] tokens, float[] logprobs, int from, int n) {
        if (n == 0) return List.of();
        TopLogprob[] out = new TopLogprob[n];
        for (int j = 0; j < n; j++) out[j] = new TopLogprob(tokens[from + j], logprobs[from + j]);
        return List.of(out);
    }
}
