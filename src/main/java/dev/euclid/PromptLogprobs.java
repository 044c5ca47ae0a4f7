package dev.euclid;

import java.util.List;

/**
 * The log-probability of each token of a sequence after the ones before it ({@link
 * Engine#promptLogprobs}), and the most likely tokens at each position.
 *
 * @param tokenIds the sequence
 * @param logprobs {@code logprobs[t]}: log p(tokenIds[t] | tokenIds[0..t)); NaN at t = 0, which has
 *     nothing before it
 * @param topLogprobs the most likely tokens at position t, most likely first (ties to the lower id);
 *     empty at t = 0
 */
public record PromptLogprobs(int[] tokenIds, float[] logprobs, List<List<TopLogprob>> topLogprobs) {
    public PromptLogprobs {
        tokenIds = tokenIds.clone();
        logprobs = logprobs.clone();
        topLogprobs = List.copyOf(topLogprobs);
        if (logprobs.length != tokenIds.length || topLogprobs.size() != tokenIds.length) {
            throw new IllegalArgumentException("one log-probability and one list of alternatives per token");
        }
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }

    @Override
    public float[] logprobs() {
        return logprobs.clone();
    }
}
