package dev.euclid;

/**
 * One of the most likely tokens at a generated position ({@link Request.Builder#topLogprobs}).
 *
 * @param tokenId the token
 * @param logprob its log-probability under the model's unmodified distribution (temperature 1, no
 *     penalty or truncation), the distribution {@link TokenEvent#logprob()} comes from
 */
public record TopLogprob(int tokenId, float logprob) {}
