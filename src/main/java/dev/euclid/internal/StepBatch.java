package dev.euclid.internal;

import dev.euclid.Sampling;
import dev.euclid.TopLogprob;
import dev.euclid.internal.kv.SequenceBlocks;
import dev.euclid.internal.spec.DraftTree;
import java.util.Arrays;
import java.util.List;

/**
 * The description of one engine step over several sequences (the compact batch descriptor of
 * DESIGN.md): per sequence, the tokens it feeds, where they start, its block table, how to sample
 * and which random draw to use. Reused from step to step; filled by the scheduler side, copied into
 * the native {@code StepDescriptor} (see {@link StepDescriptorBuffers}) by
 * {@link NativeStepRunner#run(StepBatch)}, which writes the sampled tokens back.
 */
public final class StepBatch {
    int sequences;
    int tokenCount;
    int tableCount;
    int historyCount;
    int outputCount;
    int[] nTokens, starts, tableOffsets, tableLengths, holes, topKs, historyOffsets, historyLengths, sampleModes, outputOffsets,
            topLogprobs;
    /** Whether some sequence of the step asks for top logprobs (else their outputs are not read back). */
    boolean anyTopLogprobs;
    int[] tokens;
    int[] parents; // aligned with tokens; only the entries of tree sequences are set and read
    int[] tables, history;
    float[] temperatures, topPs, minPs, penalties;
    long[] seeds, draws;
    /** Results of the latest run, sequence by sequence: sampled tokens and their log-probabilities. */
    final int[] outTokens;
    final float[] outLogprobs;
    /** Per sampled row, {@link NativeApi#MAX_TOP_LOGPROBS} entries: the most likely tokens and their log-probabilities. */
    final int[] outTopTokens;
    final float[] outTopLogprobs;

    public StepBatch(int maxSequences, int maxTokens) {
        nTokens = new int[maxSequences];
        starts = new int[maxSequences];
        tableOffsets = new int[maxSequences];
        tableLengths = new int[maxSequences];
        holes = new int[2 * maxSequences];
        topKs = new int[maxSequences];
        temperatures = new float[maxSequences];
        topPs = new float[maxSequences];
        seeds = new long[maxSequences];
        draws = new long[maxSequences];
        outTokens = new int[maxTokens];
        outLogprobs = new float[maxTokens];
        outTopTokens = new int[maxTokens * NativeApi.MAX_TOP_LOGPROBS];
        outTopLogprobs = new float[maxTokens * NativeApi.MAX_TOP_LOGPROBS];
        topLogprobs = new int[maxSequences];
        tokens = new int[maxTokens];
        parents = new int[maxTokens];
        tables = new int[64];
        historyOffsets = new int[maxSequences];
        historyLengths = new int[maxSequences];
        minPs = new float[maxSequences];
        penalties = new float[3 * maxSequences];
        history = new int[64];
        sampleModes = new int[maxSequences];
        outputOffsets = new int[maxSequences];
    }

    public void clear() {
        sequences = tokenCount = tableCount = historyCount = outputCount = 0;
        anyTopLogprobs = false;
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
     * {@code ids[historyFrom, from + n)} (the tokens generated so far); the sampled row reports the
     * {@code topLogprobs} most likely tokens with its own log-probability ({@link NativeApi#NO_LOGPROBS}:
     * neither).
     */
    public void add(SequenceBlocks blocks, int[] ids, int from, int n, int start, Sampling sampling, long draw,
            int historyFrom, int topLogprobs) {
        int s = begin(blocks, NativeApi.SAMPLE_LAST, n, start, sampling, draw, topLogprobs);
        System.arraycopy(ids, from, tokens, tokenCount, n);
        tokenCount += n;
        int h = sampling.hasPenalties() ? Math.max(0, from + n - historyFrom) : 0;
        if (historyCount + h > history.length) history = Arrays.copyOf(history, Math.max(history.length * 2, historyCount + h));
        System.arraycopy(ids, historyFrom, history, historyCount, h);
        historyOffsets[s] = historyCount;
        historyLengths[s] = h;
        historyCount += h;
    }

    /**
     * Adds a sequence verifying a draft tree whose root is {@code root}, its last token, at position
     * {@code start}: a token is sampled after every tree token ({@link #token(int, int)}, indexed as
     * in the tree, root 0), each with the draw of the position it lands on and reporting the
     * {@code topLogprobs} most likely tokens. No penalties.
     */
    public void addTree(SequenceBlocks blocks, int root, DraftTree tree, int start, Sampling sampling, int topLogprobs) {
        int n = 1 + tree.size();
        int s = begin(blocks, NativeApi.SAMPLE_TREE, n, start, sampling, start + 1, topLogprobs);
        tokens[tokenCount] = root;
        parents[tokenCount] = 0;
        for (int i = 1; i < n; i++) {
            tokens[tokenCount + i] = tree.token(i);
            parents[tokenCount + i] = tree.parent(i);
        }
        tokenCount += n;
        historyOffsets[s] = historyCount;
        historyLengths[s] = 0;
    }

    private int begin(SequenceBlocks blocks, int mode, int n, int start, Sampling sampling, long draw, int topLogprobs) {
        if (topLogprobs != NativeApi.NO_LOGPROBS && (topLogprobs < 0 || topLogprobs > NativeApi.MAX_TOP_LOGPROBS)) {
            throw new IllegalArgumentException("topLogprobs = " + topLogprobs + " is outside [0, "
                    + NativeApi.MAX_TOP_LOGPROBS + "] and is not NO_LOGPROBS");
        }
        int s = sequences++;
        this.topLogprobs[s] = topLogprobs;
        anyTopLogprobs |= topLogprobs > 0;
        sampleModes[s] = mode;
        outputOffsets[s] = outputCount;
        outputCount += mode == NativeApi.SAMPLE_TREE ? n : 1;
        nTokens[s] = n;
        starts[s] = start;
        int len = blocks.blockCount();
        if (tableCount + len > tables.length) tables = Arrays.copyOf(tables, Math.max(tables.length * 2, tableCount + len));
        System.arraycopy(blocks.table(), 0, tables, tableCount, len);
        tableOffsets[s] = tableCount;
        tableLengths[s] = len;
        tableCount += len;
        holes[2 * s] = blocks.holeAt();
        holes[2 * s + 1] = blocks.holeSlots();
        temperatures[s] = sampling.temperature();
        topKs[s] = sampling.topK();
        topPs[s] = sampling.topP();
        seeds[s] = sampling.seed();
        draws[s] = draw;
        minPs[s] = sampling.minP();
        penalties[3 * s] = sampling.repetitionPenalty();
        penalties[3 * s + 1] = sampling.presencePenalty();
        penalties[3 * s + 2] = sampling.frequencyPenalty();
        return s;
    }

    /** The token sampled after sequence {@code sequence}'s last fed token. */
    public int token(int sequence) {
        return outTokens[lastOutput(sequence)];
    }

    public float logprob(int sequence) {
        return outLogprobs[lastOutput(sequence)];
    }

    /** For a verifying sequence: the token sampled after its tree token i (root 0). */
    public int token(int sequence, int i) {
        return outTokens[outputOffsets[sequence] + i];
    }

    public float logprob(int sequence, int i) {
        return outLogprobs[outputOffsets[sequence] + i];
    }

    /** The most likely tokens where the sequence's last token was sampled (empty unless it asked for them). */
    public List<TopLogprob> topLogprobs(int sequence) {
        return topLogprobsOfRow(sequence, lastOutput(sequence));
    }

    /** For a verifying sequence: the most likely tokens where the token after its tree token i was sampled. */
    public List<TopLogprob> topLogprobs(int sequence, int i) {
        return topLogprobsOfRow(sequence, outputOffsets[sequence] + i);
    }

    private List<TopLogprob> topLogprobsOfRow(int sequence, int row) {
        return TopLogprobRows.read(outTopTokens, outTopLogprobs, row * NativeApi.MAX_TOP_LOGPROBS, Math.max(0, topLogprobs[sequence]));
    }

    /** The logits row (in the native workspace) of the token sampled after the sequence's last fed token. */
    public int lastOutputRow(int sequence) {
        return lastOutput(sequence);
    }

    /** For a verifying sequence: the logits row of the token sampled after its tree token i. */
    public int outputRow(int sequence, int i) {
        return outputOffsets[sequence] + i;
    }

    private int lastOutput(int sequence) {
        return outputOffsets[sequence] + (sampleModes[sequence] == NativeApi.SAMPLE_TREE ? nTokens[sequence] - 1 : 0);
    }
}
