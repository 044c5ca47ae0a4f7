package dev.euclid.server;

import dev.euclid.Tokenizer;
import dev.euclid.TopLogprob;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One generated token in a logprobs answer: its log-probability under the model, and the most
 * likely alternatives at its position as the engine's sampler reported them (empty unless asked for).
 */
record TokenLogprob(int id, float logprob, List<TopLogprob> top) {

    /** The token's text; a token holding part of a UTF-8 character shows U+FFFD, its bytes are exact. */
    static String text(Tokenizer tokenizer, int id) {
        return new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8);
    }
}
