package dev.euclid;

import java.util.List;

/**
 * The result of one generation.
 *
 * @param promptTokenIds the prompt as the model saw it
 * @param tokenIds the generated tokens (stop token included when generation stopped on one)
 * @param text the generated text (the stop token's text excluded)
 * @param finishReason why generation ended
 * @param logprobs log-probability of each generated token, or null when not requested
 * @param timings time spent on the prompt and on decoding
 * @param stopString the stop string that ended the sample (not part of {@code text}), or null
 * @param topLogprobs for each generated token, the most likely tokens at its position (as in
 *     {@link TokenEvent#topLogprobs()}), or null when not requested
 */
public record Completion(
        int[] promptTokenIds, int[] tokenIds, String text, FinishReason finishReason, float[] logprobs,
        Timings timings, String stopString, List<List<TopLogprob>> topLogprobs) {}
