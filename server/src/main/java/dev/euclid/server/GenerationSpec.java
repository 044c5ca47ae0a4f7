package dev.euclid.server;

import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.Speculation;
import java.time.Duration;
import java.util.List;

/**
 * One parsed generation request, from either endpoint: what the engine runs for each prompt, and
 * how the answer is shaped.
 *
 * @param prompts the prompts (a completions request may batch several); choice {@code p * n + i} is
 *     sample i of prompt p
 * @param maxTokens tokens to generate per choice at most (the engine also stops at the context)
 * @param n choices per prompt
 * @param topLogprobs alternatives per token in logprobs (0: the chosen token's only; at most the
 *     vocabulary); -1: no logprobs
 * @param echo whether a completion's text starts with its prompt
 * @param timeout how long the engine may take from submission, or null for no limit
 * @param ignoreEos whether the model's stop tokens are ignored (generation runs to max_tokens or a stop string)
 * @param toolCalls how tool calls are read out of a chat answer; NONE when the request offers no
 *     tools, says {@code "tool_choice": "none"}, or the server reads no calls
 */
record GenerationSpec(Api api, List<Prompt> prompts, int maxTokens, Sampling sampling, int n, List<String> stops,
        boolean stream, boolean includeUsage, int topLogprobs, boolean echo, int priority, Speculation speculation,
        Duration timeout, boolean ignoreEos, ToolCallParser toolCalls) {

    /** A prompt as token ids (as the model sees it) and as text (for echo). */
    record Prompt(int[] ids, String text) {}

    boolean parsesToolCalls() {
        return toolCalls != ToolCallParser.NONE;
    }

    boolean logprobs() {
        return topLogprobs >= 0;
    }

    int choices() {
        return prompts.size() * n;
    }

    Request request(Prompt prompt) {
        Request.Builder b = Request.builder().promptTokens(prompt.ids()).maxTokens(maxTokens).sampling(sampling).samples(n)
                .stopStrings(stops.toArray(String[]::new)).logprobs(logprobs()).topLogprobs(Math.max(0, topLogprobs))
                .priority(priority)
                .speculation(speculation).timeout(timeout);
        if (ignoreEos) b.stopTokenIds();
        return b.build();
    }
}
