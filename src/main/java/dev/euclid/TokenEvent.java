package dev.euclid;

import java.util.List;

/**
 * One generated token, as streamed while a request runs.
 *
 * @param sample which sample of the request this token belongs to (0 when there is one)
 * @param tokenId the token
 * @param text the text this token completes (may be empty while a multi-byte character is split
 *     across tokens; the held-back bytes come with a later event)
 * @param index position of the token among the sample's generated tokens (0 = first)
 * @param logprob log-probability of the token under the model, or NaN when not requested
 * @param topLogprobs the most likely tokens at this position, most likely first, from the
 *     distribution the token was drawn from ({@link Request.Builder#topLogprobs}); empty when not
 *     requested
 */
public record TokenEvent(int sample, int tokenId, String text, int index, float logprob, List<TopLogprob> topLogprobs) {
    public TokenEvent {
        topLogprobs = List.copyOf(topLogprobs);
    }
}
