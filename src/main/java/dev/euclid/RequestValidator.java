package dev.euclid;

import dev.euclid.internal.KvRuntime;

/**
 * Checks a request against the engine's model before it is queued and resolves what the scheduler
 * runs: the prompt's token ids, the stop token ids and how many tokens each sample may generate. A
 * request that could never run here (prompt beyond the context, token ids outside the vocabulary,
 * an unknown stop token id, more KV than the budget holds, a drafter that is not loaded) fails with
 * an IllegalArgumentException saying why.
 */
final class RequestValidator {
    /** A request the engine can run. */
    record Checked(int[] prompt, int[] stopIds, int maxNew) {}

    private final Tokenizer tokenizer;
    private final int vocab;
    private final int[] defaultStopIds;
    private final KvRuntime runtime;

    RequestValidator(Tokenizer tokenizer, int vocab, int[] defaultStopIds, KvRuntime runtime) {
        this.tokenizer = tokenizer;
        this.vocab = vocab;
        this.defaultStopIds = defaultStopIds.clone();
        this.runtime = runtime;
    }

    /** The tokens that end generation when a request names none. */
    int[] defaultStopIds() {
        return defaultStopIds.clone();
    }

    Checked check(Request request, boolean drafterLoaded) {
        int[] prompt = promptTokens(request);
        int[] stops = request.stopTokenIds() != null ? request.stopTokenIds() : defaultStopIds;
        for (int id : stops) {
            if (id >= vocab) {
                throw new IllegalArgumentException("stop token id " + id + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        if (request.topLogprobs() > vocab) {
            throw new IllegalArgumentException("topLogprobs " + request.topLogprobs() + " is more than the vocabulary's "
                    + vocab + " tokens");
        }
        int maxNew = runtime.maxNewTokens(prompt.length, request.maxTokens(), request.samples());
        if (request.speculation().kind() == Speculation.Kind.REDRAFTER && !drafterLoaded) {
            throw new IllegalArgumentException("the request drafts with the drafter, but none is loaded:"
                    + " call Engine.loadDrafter first");
        }
        return new Checked(prompt, stops, maxNew);
    }

    /** Every id must name a token of the model's vocabulary. */
    void checkTokens(int[] tokens) {
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new IllegalArgumentException("token id " + tokens[i] + " at index " + i
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
    }

    private int[] promptTokens(Request request) {
        int[] prompt = request.promptTokens();
        if (prompt == null) {
            prompt = tokenizer.encode(request.prompt());
            if (prompt.length == 0) {
                throw new IllegalArgumentException("the prompt encodes to no tokens and this model has no BOS token;"
                        + " give a non-empty prompt");
            }
        }
        checkTokens(prompt);
        return prompt;
    }
}
