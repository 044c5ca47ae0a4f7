package dev.euclid.server;

import dev.euclid.PromptLogprobs;
import dev.euclid.Tokenizer;
import dev.euclid.TopLogprob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One token in a logprobs answer: its log-probability under the model, and the most likely
 * alternatives at its position as the engine reported them (empty unless asked for). An echoed
 * prompt's first token has neither (null in the answer, as in OpenAI's): see {@link #scored()}.
 */
record TokenLogprob(int id, float logprob, List<TopLogprob> top) {

    /** An echoed prompt's tokens: the first unscored, the others as the engine scored them. */
    static List<TokenLogprob> prompt(PromptLogprobs p) {
        int[] ids = p.tokenIds();
        float[] logprobs = p.logprobs();
        List<TokenLogprob> out = new ArrayList<>(ids.length);
        out.add(new TokenLogprob(ids[0], Float.NaN, null));
        for (int t = 1; t < ids.length; t++) out.add(new TokenLogprob(ids[t], logprobs[t], p.topLogprobs().get(t)));
        return out;
    }

    /** False for an echoed prompt's first token, which has nothing before it to be scored after. */
    boolean scored() {
        return top != null;
    }

    /** The token's text; a token holding part of a UTF-8 character shows U+FFFD, its bytes are exact. */
    static String text(Tokenizer tokenizer, int id) {
        return new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8);
    }
}
