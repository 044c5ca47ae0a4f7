package dev.euclid;

/**
 * One generated token, as streamed while a request runs.
 *
 * @param tokenId the token
 * @param text the text this token completes (may be empty while a multi-byte character is split
 *     across tokens; the held-back bytes come with a later event)
 * @param index position of the token among the generated tokens (0 = first)
 * @param logprob log-probability of the token under the model, or NaN when not requested
 */
public record TokenEvent(int tokenId, String text, int index, float logprob) {}
