package dev.euclid;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable generation request: a prompt (text, or token ids used as they are), how many tokens
 * to generate at most, how to sample them and which tokens stop generation.
 *
 * <pre>{@code
 * Request r = Request.builder().prompt("Once upon a time").maxTokens(64)
 *         .sampling(Sampling.builder().temperature(0.8f).topP(0.95f).seed(42).build())
 *         .build();
 * }</pre>
 */
public final class Request {
    /** Most alternatives {@link Builder#topLogprobs} reports per token (OpenAI's limit too). */
    public static final int MAX_TOP_LOGPROBS = 20;

    private final String prompt;
    private final int[] promptTokens;
    private final int maxTokens;
    private final Sampling sampling;
    private final boolean samplingGiven;
    private final int[] stopTokenIds;
    private final boolean logprobs;
    private final int topLogprobs;
    private final int samples;
    private final int priority;
    private final java.time.Duration timeout;
    private final GroupStop groupStop;
    private final java.util.List<String> stopStrings;
    private final Speculation speculation;

    private Request(Builder b) {
        this.prompt = b.prompt;
        this.promptTokens = b.promptTokens;
        this.maxTokens = b.maxTokens;
        this.sampling = b.sampling;
        this.samplingGiven = b.samplingGiven;
        this.stopTokenIds = b.stopTokenIds;
        this.logprobs = b.logprobs;
        this.topLogprobs = b.topLogprobs;
        this.samples = b.samples;
        this.priority = b.priority;
        this.timeout = b.timeout;
        this.groupStop = b.groupStop;
        this.stopStrings = java.util.List.copyOf(b.stopStrings);
        this.speculation = b.speculation;
    }

    /** How the request drafts tokens for speculative decoding (off by default). */
    public Speculation speculation() {
        return speculation;
    }

    /** The early-stop policy for the request's samples, or null. */
    public GroupStop groupStop() {
        return groupStop;
    }

    /** Texts that end a sample when they appear in its output; the match is not part of the text. */
    public java.util.List<String> stopStrings() {
        return stopStrings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A greedy request for a text prompt. */
    public static Request of(String prompt, int maxTokens) {
        return builder().prompt(prompt).maxTokens(maxTokens).build();
    }

    /** The text prompt, or null when the prompt was given as token ids. */
    public String prompt() {
        return prompt;
    }

    /** The prompt token ids (a copy), or null when the prompt was given as text. */
    public int[] promptTokens() {
        return promptTokens == null ? null : promptTokens.clone();
    }

    public int maxTokens() {
        return maxTokens;
    }

    /**
     * How tokens are chosen: the builder's sampling, or greedy when it was given none, in which case
     * the engine uses the model's default instead ({@link Engine#defaultSampling()}).
     */
    public Sampling sampling() {
        return sampling;
    }

    /** Whether the caller chose the sampling (else the engine applies the model's default). */
    boolean samplingGiven() {
        return samplingGiven;
    }

    /** This request with the model's default sampling in place of the unset one. */
    Request withModelSampling(Sampling modelDefault) {
        return new Request(this, modelDefault);
    }

    private Request(Request r, Sampling modelDefault) {
        this.prompt = r.prompt;
        this.promptTokens = r.promptTokens;
        this.maxTokens = r.maxTokens;
        this.sampling = modelDefault;
        this.samplingGiven = r.samplingGiven;
        this.stopTokenIds = r.stopTokenIds;
        this.logprobs = r.logprobs;
        this.topLogprobs = r.topLogprobs;
        this.samples = r.samples;
        this.priority = r.priority;
        this.timeout = r.timeout;
        this.groupStop = r.groupStop;
        this.stopStrings = r.stopStrings;
        this.speculation = r.speculation;
    }

    /** Token ids that end generation (a copy); null means the model's defaults. */
    public int[] stopTokenIds() {
        return stopTokenIds == null ? null : stopTokenIds.clone();
    }

    /** Whether the log-probability of each generated token is reported (also when top logprobs are). */
    public boolean logprobs() {
        return logprobs || topLogprobs > 0;
    }

    /** How many of the most likely tokens are reported at each generated position (0: none). */
    public int topLogprobs() {
        return topLogprobs;
    }

    /** How many samples of the prompt to generate; they share the prompt's KV blocks. */
    public int samples() {
        return samples;
    }

    /** Higher runs first; when KV blocks run out, the lowest priority (then newest) request is preempted. */
    public int priority() {
        return priority;
    }

    /** How long the request may take from submission, or null for no limit. */
    public java.time.Duration timeout() {
        return timeout;
    }

    public static final class Builder {
        private String prompt;
        private int[] promptTokens;
        private int maxTokens = 256;
        private Sampling sampling = Sampling.greedy();
        private boolean samplingGiven;
        private int[] stopTokenIds;
        private boolean logprobs;
        private int topLogprobs;
        private int samples = 1;
        private int priority;
        private java.time.Duration timeout;
        private GroupStop groupStop;
        private java.util.List<String> stopStrings = java.util.List.of();
        private Speculation speculation = Speculation.off();

        private Builder() {}

        /**
         * Speculative decoding (see {@link Speculation}): drafts verified in the same forward pass.
         * Lossless: the output is exactly the output without it. Not combined with penalties
         * (drafting is then off).
         */
        public Builder speculation(Speculation speculation) {
            this.speculation = Objects.requireNonNull(speculation, "speculation");
            return this;
        }

        /**
         * Continues a finished sample: the prompt becomes its prompt and generated tokens followed by
         * {@code appended} (e.g. a tool's output). The KV of the earlier tokens is found in the prefix
         * cache (when enabled), so only the last partial block and the appended tokens are computed.
         */
        public Builder continueFrom(Completion finished, int... appended) {
            Objects.requireNonNull(finished, "finished");
            int[] p = finished.promptTokenIds(), g = finished.tokenIds();
            int[] ids = java.util.Arrays.copyOf(p, p.length + g.length + appended.length);
            System.arraycopy(g, 0, ids, p.length, g.length);
            System.arraycopy(appended, 0, ids, p.length + g.length, appended.length);
            return promptTokens(ids);
        }

        /** Stops the request's remaining samples when {@code policy} says so (see {@link GroupStop}). */
        public Builder groupStop(GroupStop policy) {
            this.groupStop = policy;
            return this;
        }

        /** Ends a sample when one of these texts appears in its output (the match is not emitted). */
        public Builder stopStrings(String... texts) {
            for (String t : texts) {
                if (t == null || t.isEmpty()) throw new IllegalArgumentException("stop strings must be non-empty");
            }
            this.stopStrings = java.util.List.of(texts);
            return this;
        }

        /** Default 0; higher runs first and is preempted last. */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** Fails the request with a TimeoutException once it has run this long (null = no limit). */
        public Builder timeout(java.time.Duration timeout) {
            if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
                throw new IllegalArgumentException("timeout must be positive, got " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Text prompt, encoded by the model's tokenizer (BOS added as the model expects). "" is valid. */
        public Builder prompt(String text) {
            this.prompt = Objects.requireNonNull(text, "prompt");
            this.promptTokens = null;
            return this;
        }

        /** Prompt as token ids, used exactly as given (no BOS added). Must not be empty. */
        public Builder promptTokens(int... ids) {
            Objects.requireNonNull(ids, "promptTokens");
            if (ids.length == 0) throw new IllegalArgumentException("promptTokens must not be empty");
            this.promptTokens = ids.clone();
            this.prompt = null;
            return this;
        }

        /** Upper bound on generated tokens; must be > 0. Generation also ends at the model context. */
        public Builder maxTokens(int maxTokens) {
            if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be > 0, got " + maxTokens);
            this.maxTokens = maxTokens;
            return this;
        }

        /** How tokens are chosen; without it the model's default (generation_config.json), else greedy. */
        public Builder sampling(Sampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            this.samplingGiven = true;
            return this;
        }

        /** Replaces the model's default stop tokens; an empty array means never stop early. */
        public Builder stopTokenIds(int... ids) {
            Objects.requireNonNull(ids, "stopTokenIds");
            for (int id : ids) {
                if (id < 0) throw new IllegalArgumentException("stop token id must be >= 0, got " + id);
            }
            this.stopTokenIds = ids.clone();
            return this;
        }

        /**
         * Number of samples of the prompt (default 1). Sample i uses seed {@code sampling.seed() + i};
         * all samples share the prompt's KV blocks.
         */
        public Builder samples(int n) {
            if (n < 1) throw new IllegalArgumentException("samples must be >= 1, got " + n);
            this.samples = n;
            return this;
        }

        public Builder logprobs(boolean logprobs) {
            this.logprobs = logprobs;
            return this;
        }

        /**
         * Reports, with each generated token, the {@code k} most likely tokens at its position and
         * their log-probabilities ({@link TokenEvent#topLogprobs()}, {@link Completion#topLogprobs()}),
         * computed by the sampler from the distribution the token's own log-probability comes from.
         * 0 (the default) reports none; k > 0 also turns on {@link #logprobs(boolean)}.
         */
        public Builder topLogprobs(int k) {
            if (k < 0 || k > MAX_TOP_LOGPROBS) {
                throw new IllegalArgumentException("topLogprobs must be in [0, " + MAX_TOP_LOGPROBS + "], got " + k);
            }
            this.topLogprobs = k;
            return this;
        }

        public Request build() {
            if (prompt == null && promptTokens == null) {
                throw new IllegalStateException("a request needs a prompt (text or token ids)");
            }
            return new Request(this);
        }
    }

    @Override
    public String toString() {
        return "Request[prompt=" + (prompt != null ? '"' + prompt + '"' : Arrays.toString(promptTokens))
                + ", maxTokens=" + maxTokens + ", " + sampling + "]";
    }
}
