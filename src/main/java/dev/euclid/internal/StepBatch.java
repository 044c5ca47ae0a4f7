package dev.euclid.internal;

import dev.euclid.Sampling;
import dev.euclid.internal.kv.SequenceBlocks;
import java.util.Arrays;

/**
 * The description of one engine step over several sequences (the compact batch descriptor of
 * DESIGN.md): per sequence, the tokens it feeds, where they start, its block table, how to sample
 * and which random draw to use. Reused from step to step; filled by the scheduler side, read by
 * {@link NativeKv#run(StepBatch)}, which writes the sampled tokens back.
 */
public final class StepBatch {
    int sequences;
    int tokenCount;
    int tableCount;
    int[] nTokens, starts, tableOffsets, tableLengths, topKs;
    int[] tokens;
    int[] tables;
    float[] temperatures, topPs;
    long[] seeds, draws;
    /** Results of the latest run: the token sampled for each sequence and its log-probability. */
    final int[] outTokens;
    final float[] outLogprobs;

    public StepBatch(int maxSequences, int maxTokens) {
        nTokens = new int[maxSequences];
        starts = new int[maxSequences];
        tableOffsets = new int[maxSequences];
        tableLengths = new int[maxSequences];
        topKs = new int[maxSequences];
        temperatures = new float[maxSequences];
        topPs = new float[maxSequences];
        seeds = new long[maxSequences];
        draws = new long[maxSequences];
        outTokens = new int[maxSequences];
        outLogprobs = new float[maxSequences];
        tokens = new int[maxTokens];
        tables = new int[64];
    }

    public void clear() {
        sequences = tokenCount = tableCount = 0;
    }

    public int size() {
        return sequences;
    }

    public int tokenCount() {
        return tokenCount;
    }

    /**
     * Adds a sequence feeding {@code ids[from, from + n)} at positions [start, start + n), sampling
     * the token after them with {@code sampling} and random draw {@code draw}.
     */
    public void add(SequenceBlocks blocks, int[] ids, int from, int n, int start, Sampling sampling, long draw) {
        int s = sequences++;
        nTokens[s] = n;
        starts[s] = start;
        System.arraycopy(ids, from, tokens, tokenCount, n);
        tokenCount += n;
        int len = blocks.blockCount();
        if (tableCount + len > tables.length) tables = Arrays.copyOf(tables, Math.max(tables.length * 2, tableCount + len));
        System.arraycopy(blocks.table(), 0, tables, tableCount, len);
        tableOffsets[s] = tableCount;
        tableLengths[s] = len;
        tableCount += len;
        temperatures[s] = sampling.temperature();
        topKs[s] = sampling.topK();
        topPs[s] = sampling.topP();
        seeds[s] = sampling.seed();
        draws[s] = draw;
    }

    public int token(int sequence) {
        return outTokens[sequence];
    }

    public float logprob(int sequence) {
        return outLogprobs[sequence];
    }
}
