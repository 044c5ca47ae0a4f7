package dev.euclid.internal.sched;

import dev.euclid.Sampling;
import dev.euclid.internal.NativeApi;
import dev.euclid.internal.kv.SequenceBlocks;
import dev.euclid.internal.spec.DraftTree;
import java.util.List;

/**
 * What one engine step computes, decided by {@link StepPlanner} before it runs and not changed
 * after: one entry per sequence, in the order the step holds them. {@link StepRunner} runs it;
 * {@link StepApplier} reads the step's results entry by entry.
 */
record StepPlan(List<Entry> entries) {
    static final StepPlan EMPTY = new StepPlan(List.of());

    StepPlan {
        entries = List.copyOf(entries);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    /** What a sequence's result is for. */
    enum Outcome {
        /** A prompt chunk before the last: its K/V are kept, the token sampled after it is not. */
        PROMPT_CHUNK,
        /** The sequence's next token: after its last prompt chunk, or after its latest token. */
        NEXT_TOKEN,
        /** A draft tree: the token sampled after each tree token decides which drafts are kept. */
        VERIFY
    }

    /**
     * One sequence's part of the step.
     *
     * @param sequence the sample these tokens belong to
     * @param tokens its tokens from position 0 (the array the sample holds now)
     * @param blocks its block table, already holding every slot the step writes
     * @param from the first position fed: the chunk's start, or the sample's latest token (a draft
     *     tree's root)
     * @param count tokens fed: the chunk, the latest token, or the root and the draft tokens
     * @param draft the draft tree verified after the root, or null
     * @param sampling how the sample draws tokens
     * @param historyFrom the first position penalties count (the first generated one)
     * @param outcome what the result is for
     */
    record Entry(SequenceState sequence, int[] tokens, SequenceBlocks blocks, int from, int count, DraftTree draft,
            Sampling sampling, int historyFrom, Outcome outcome) {

        /** Feeds {@code tokens[from, from + count)} of a prompt: the last chunk samples the first token. */
        static Entry promptChunk(SequenceState s, int from, int count) {
            return new Entry(s, s.tokens, s.blocks, from, count, null, s.sampling, s.promptLength,
                    from + count == s.length ? Outcome.NEXT_TOKEN : Outcome.PROMPT_CHUNK);
        }

        /** Feeds the sample's latest token. */
        static Entry decode(SequenceState s) {
            return new Entry(s, s.tokens, s.blocks, s.length - 1, 1, null, s.sampling, s.promptLength, Outcome.NEXT_TOKEN);
        }

        /** Feeds the sample's latest token as the root of {@code draft}, then the draft tokens. */
        static Entry verify(SequenceState s, DraftTree draft) {
            return new Entry(s, s.tokens, s.blocks, s.length - 1, 1 + draft.size(), draft, s.sampling, s.promptLength,
                    Outcome.VERIFY);
        }

        /**
         * The random draw of the first token sampled: the position it lands on. Every position has
         * its own draw, whatever the batch, so results do not depend on what shares the step.
         */
        long draw() {
            return draft == null ? from + count : from + 1;
        }

        /**
         * Alternatives the sampled rows report: the sample's; none, not even the token's own log-
         * probability, when the sample asked for none or the token sampled is not kept (an earlier chunk).
         */
        int topLogprobs() {
            return outcome == Outcome.PROMPT_CHUNK || sequence.logprobs == null ? NativeApi.NO_LOGPROBS : sequence.topLogprobs;
        }
    }
}
