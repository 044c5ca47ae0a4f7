package dev.euclid.internal.sched;

import dev.euclid.Sampling;
import dev.euclid.TopLogprob;
import dev.euclid.internal.NativeStepRunner;
import dev.euclid.internal.StepBatch;
import dev.euclid.internal.kv.SequenceBlocks;
import java.util.List;

/**
 * Runs {@link StepPlan}s on the native engine and reads their results: the one place the scheduler
 * fills the step's {@link StepBatch} and calls {@link NativeStepRunner} (the step, moves of accepted draft
 * K/V, block copies, resampling). Results are indexed by plan entry. Engine thread only.
 */
final class StepRunner {
    private final NativeStepRunner kv;
    private final StepBatch batch; // reused by every step

    StepRunner(NativeStepRunner kv) {
        this.kv = kv;
        this.batch = new StepBatch(kv.maxChunk(), kv.maxChunk());
    }

    /** Tokens one step may hold: prompt chunks, decode tokens and draft tokens together. */
    int maxTokensPerStep() {
        return kv.maxChunk();
    }

    void run(StepPlan plan) {
        batch.clear();
        for (StepPlan.Entry e : plan.entries()) {
            if (e.draft() == null) {
                batch.add(e.blocks(), e.tokens(), e.from(), e.count(), e.from(), e.sampling(), e.draw(), e.historyFrom(),
                        e.topLogprobs());
            } else {
                batch.addTree(e.blocks(), e.tokens()[e.from()], e.draft(), e.from(), e.sampling(), e.topLogprobs());
            }
        }
        kv.run(batch);
    }

    /** The token sampled after entry {@code entry}'s last fed token. */
    int token(int entry) {
        return batch.token(entry);
    }

    float logprob(int entry) {
        return batch.logprob(entry);
    }

    List<TopLogprob> topLogprobs(int entry) {
        return batch.topLogprobs(entry);
    }

    /** For a verifying entry: the token sampled after its tree token {@code node} (root 0). */
    int token(int entry, int node) {
        return batch.token(entry, node);
    }

    float logprob(int entry, int node) {
        return batch.logprob(entry, node);
    }

    List<TopLogprob> topLogprobs(int entry, int node) {
        return batch.topLogprobs(entry, node);
    }

    /** The logits row (in the native workspace) entry {@code entry}'s last token was sampled from. */
    int lastOutputRow(int entry) {
        return batch.lastOutputRow(entry);
    }

    /** For a verifying entry: the logits row of the token sampled after its tree token {@code node}. */
    int outputRow(int entry, int node) {
        return batch.outputRow(entry, node);
    }

    /** Moves the K/V of {@code s}'s tokens from slot from[i] to slot to[i], in order. */
    void moveTokens(SequenceBlocks s, int[] from, int[] to, int n) {
        kv.moveTokens(s.table(), s.blockCount(), from, to, n);
    }

    /** Copy-on-write of a block ({@link dev.euclid.internal.kv.BlockManager.BlockCopier}). */
    void copyBlock(int src, int dst) {
        kv.copyBlock(src, dst);
    }

    /** Samples again from the latest step's logits row {@code row}; see {@link #resampledLogprob}. */
    int resample(int row, Sampling sampling, long draw, int topLogprobs) {
        return kv.resample(row, sampling, draw, topLogprobs);
    }

    float resampledLogprob() {
        return kv.lastLogprob();
    }

    List<TopLogprob> resampledTopLogprobs() {
        return kv.lastTopLogprobs();
    }
}
