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
    int historyCount;
    int outputCount;
    int[] nTokens, starts, tableOffsets, tableLengths, topKs, historyOffsets, historyLengths, sampleAll, outputOffsets;
    int[] tokens;
    int[] tables, history;
    float[] temperatures, topPs, minPs, penalties;
    long[] seeds, draws;
    /** Results of the latest run, sequence by sequence: sampled tokens and their log-probabilities. */
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
        outTokens = new int[maxTokens];
        outLogprobs = new float[maxTokens];
        tokens = new int[maxTokens];
        tables = new int[64];
        historyOffsets = new int[maxSequences];
        historyLengths = new int[maxSequences];
        minPs = new float[maxSequences];
        penalties = new float[3 * maxSequences];
        history = new int[64];
        sampleAll = new int[maxSequences];
        outputOffsets = new int[maxSequences];
    }

    public void clear() {
        sequences = tokenCount = tableCount = historyCount = outputCount = 0;
    }

    public int size() {
        return sequences;
    }

    public int tokenCount() {
        return tokenCount;
    }

    /**
     * Adds a sequence feeding {@code ids[from, from + n)} at positions [start, start + n), sampling
     * the token after them with {@code sampling} and random draw {@code draw}; penalties count
     * {@code ids[historyFrom, from + n)} (the tokens generated so far).
     */
    public void add(SequenceBlocks blocks, int[] ids, int from, int n, int start, Sampling sampling, long draw,
            int historyFrom) {
        add(blocks, ids, from, n, start, sampling, draw, historyFrom, false);
    }

    /**
     * As {@link #add(SequenceBlocks, int[], int, int, int, Sampling, long, int)}; with {@code verify}
     * a token is sampled after every fed token (checking draft tokens), {@link #token(int, int)}.
     */
    public void add(SequenceBlocks blocks, int[] ids, int from, int n, int start, Sampling sampling, long draw,
            int historyFrom, boolean verify) {
        int s = sequences++;
        sampleAll[s] = verify ? 1 : 0;
        outputOffsets[s] = outputCount;
        outputCount += verify ? n : 1;
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
        minPs[s] = sampling.minP();
        penalties[3 * s] = sampling.repetitionPenalty();
        penalties[3 * s + 1] = sampling.presencePenalty();
        penalties[3 * s + 2] = sampling.frequencyPenalty();
        int h = sampling.hasPenalties() ? Math.max(0, from + n - historyFrom) : 0;
        if (historyCount + h > history.length) history = Arrays.copyOf(history, Math.max(history.length * 2, historyCount + h));
        System.arraycopy(ids, historyFrom, history, historyCount, h);
        historyOffsets[s] = historyCount;
        historyLengths[s] = h;
        historyCount += h;
    }

    /** The token sampled after sequence {@code sequence}'s last fed token. */
    public int token(int sequence) {
        return outTokens[lastOutput(sequence)];
    }

    public float logprob(int sequence) {
        return outLogprobs[lastOutput(sequence)];
    }

    /** For a verifying sequence: the token sampled after its i-th fed token. */
    public int token(int sequence, int i) {
        return outTokens[outputOffsets[sequence] + i];
    }

    public float logprob(int sequence, int i) {
        return outLogprobs[outputOffsets[sequence] + i];
    }

    /** The logits row (in the native workspace) of the token sampled after the sequence's last fed token. */
    public int lastOutputRow(int sequence) {
        return lastOutput(sequence);
    }

    private int lastOutput(int sequence) {
        return outputOffsets[sequence] + (sampleAll[sequence] != 0 ? nTokens[sequence] - 1 : 0);
    }
}
