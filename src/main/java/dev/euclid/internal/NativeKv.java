package dev.euclid.internal;

import dev.euclid.Sampling;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * The native side of the paged KV cache (the block pool) and the step workspace, with the reusable
 * native buffers every step passes through JNI, so a step allocates nothing. Which blocks a
 * sequence uses is decided by {@link dev.euclid.internal.kv.BlockManager}. Not thread-safe: the
 * engine runs one step at a time. Close before the model.
 */
public final class NativeKv implements AutoCloseable {
    private final NativeModel model;
    private final NativeApi.KvCache kv;
    private final NativeApi.Workspace ws;
    private final int maxChunk;
    private final int vocab;
    private final IntPointer tokens;
    private final IntPointer table;
    private final IntPointer moveTargets;
    private final FloatPointer logprob = new FloatPointer(1);
    private final NativeApi.SamplingParams params = new NativeApi.SamplingParams();
    private FloatPointer logits; // created on first logits() call
    private BatchPointers batch; // created on first run()
    private boolean closed;

    public NativeKv(NativeModel model, int blocks, int blockTokens, int kvType, int maxChunk) {
        this.model = model;
        this.maxChunk = maxChunk;
        this.vocab = model.info().vocabSize();
        this.kv = NativeApi.kv_create(model.checked(), blocks, blockTokens, kvType);
        try {
            this.ws = NativeApi.workspace_create(model.checked(), maxChunk);
        } catch (RuntimeException e) {
            NativeApi.kv_free(kv);
            throw e;
        }
        this.tokens = new IntPointer(maxChunk);
        // One block more than the context needs: a sample's hole (see SequenceBlocks) shifts its slots.
        this.table = new IntPointer((model.info().contextLength() + blockTokens - 1) / blockTokens + 1);
        this.moveTargets = new IntPointer(maxChunk);
    }

    /** The step workspace: after a step, its logits rows' hidden states feed the drafter. */
    public NativeApi.Workspace workspace() {
        return checkedWs();
    }

    public int maxChunk() {
        return maxChunk;
    }

    /** Samples again from the latest step's logits of sequence {@code row} of that step. */
    public int resample(int row, Sampling sampling, long draw) {
        setParams(sampling);
        return NativeApi.resample(model.checked(), checkedWs(), row, params, draw, logprob);
    }

    public float lastLogprob() {
        return logprob.get(0);
    }

    /** Like {@link #step} but copies the logits after each token into out[outRow + i]. */
    public void logits(int[] blockTable, int tableLength, int[] ids, int from, int n, int pos, float[][] out, int outRow) {
        load(blockTable, tableLength, ids, from, n);
        if (logits == null) logits = new FloatPointer((long) maxChunk * vocab);
        NativeApi.step_logits(model.checked(), kv, checkedWs(), table, tableLength, tokens, n, pos, logits);
        for (int i = 0; i < n; i++) logits.position((long) i * vocab).get(out[outRow + i], 0, vocab);
        logits.position(0);
    }

    /** Runs one step over every sequence of {@code b} and stores the sampled tokens in it. */
    public void run(StepBatch b) {
        checkedWs();
        if (b.sequences < 1 || b.tokenCount > maxChunk) {
            throw new IllegalArgumentException("a step of " + b.sequences + " sequences / " + b.tokenCount
                    + " tokens does not fit (at most " + maxChunk + " tokens)");
        }
        if (batch == null) batch = new BatchPointers(maxChunk);
        batch.load(b);
        NativeApi.step_batch(model.checked(), kv, ws, b.sequences, batch.nTokens, batch.tokens, batch.starts,
                batch.tables, b.tableCount, batch.tableOffsets, batch.tableLengths, batch.holes, batch.temperatures,
                batch.topKs,
                batch.topPs, batch.minPs, batch.penalties, batch.history, b.historyCount, batch.historyOffsets,
                batch.historyLengths, batch.seeds, batch.draws, batch.sampleModes, batch.parents, batch.outTokens,
                batch.outLogprobs);
        batch.outTokens.position(0).get(b.outTokens, 0, b.outputCount);
        batch.outLogprobs.position(0).get(b.outLogprobs, 0, b.outputCount);
    }

    /**
     * Moves the K/V of a sequence's tokens from slot from[i] to slot to[i] (accepted draft-tree
     * tokens to their positions), in order.
     */
    public void moveTokens(int[] blockTable, int tableLength, int[] from, int[] to, int n) {
        checkedWs();
        if (n < 0 || n > from.length || n > to.length || n > maxChunk) {
            throw new IllegalArgumentException("cannot move " + n + " tokens");
        }
        if (tableLength < 0 || tableLength > table.capacity() || tableLength > blockTable.length) {
            throw new IllegalArgumentException("block table of " + tableLength + " entries is out of range");
        }
        table.position(0).put(blockTable, 0, tableLength).position(0);
        tokens.position(0).put(from, 0, n).position(0);
        moveTargets.position(0).put(to, 0, n).position(0);
        NativeApi.kv_move_tokens(kv, table, tableLength, tokens, moveTargets, n);
    }

    public void copyBlock(int src, int dst) {
        checkedWs();
        NativeApi.kv_copy_block(kv, src, dst);
    }

    /** Sampling parameters for resample (penalties have no history yet: it draws a first token). */
    private void setParams(Sampling s) {
        params.temperature(s.temperature()).top_k(s.topK()).top_p(s.topP()).min_p(s.minP()).seed(s.seed())
                .repetition_penalty(s.repetitionPenalty()).presence_penalty(s.presencePenalty())
                .frequency_penalty(s.frequencyPenalty());
    }

    private void load(int[] blockTable, int tableLength, int[] ids, int from, int n) {
        if (n < 1 || n > maxChunk || from < 0 || from + n > ids.length) {
            throw new IllegalArgumentException("chunk [" + from + ", " + (from + n) + ") of " + ids.length
                    + " tokens does not fit a step of at most " + maxChunk);
        }
        if (tableLength < 0 || tableLength > table.capacity() || tableLength > blockTable.length) {
            throw new IllegalArgumentException("block table of " + tableLength + " entries is out of range");
        }
        // Absolute puts: JavaCPP passes address + position, which must stay 0.
        tokens.position(0).put(ids, from, n);
        tokens.position(0);
        table.position(0).put(blockTable, 0, tableLength);
        table.position(0);
    }

    private NativeApi.Workspace checkedWs() {
        if (closed) throw new IllegalStateException("KV cache is closed");
        return ws;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        NativeApi.workspace_free(ws);
        NativeApi.kv_free(kv);
        tokens.close();
        table.close();
        moveTargets.close();
        logprob.close();
        params.close();
        if (logits != null) logits.close();
        if (batch != null) batch.close();
    }

    /** Native mirrors of a {@link StepBatch}'s arrays, reused by every step. */
    private static final class BatchPointers implements AutoCloseable {
        final IntPointer nTokens, tokens, starts, tableOffsets, tableLengths, holes, topKs, outTokens,
                historyOffsets, historyLengths, sampleModes, parents;
        final FloatPointer temperatures, topPs, minPs, penalties, outLogprobs;
        final LongPointer seeds, draws;
        IntPointer tables, history;

        BatchPointers(int max) {
            nTokens = new IntPointer(max);
            tokens = new IntPointer(max);
            starts = new IntPointer(max);
            tableOffsets = new IntPointer(max);
            tableLengths = new IntPointer(max);
            holes = new IntPointer(2L * max);
            topKs = new IntPointer(max);
            outTokens = new IntPointer(max);
            temperatures = new FloatPointer(max);
            topPs = new FloatPointer(max);
            outLogprobs = new FloatPointer(max);
            seeds = new LongPointer(max);
            draws = new LongPointer(max);
            tables = new IntPointer(64);
            historyOffsets = new IntPointer(max);
            historyLengths = new IntPointer(max);
            minPs = new FloatPointer(max);
            penalties = new FloatPointer(3L * max);
            history = new IntPointer(64);
            sampleModes = new IntPointer(max);
            parents = new IntPointer(max);
        }

        void load(StepBatch b) {
            int n = b.sequences;
            // Absolute puts (position 0): JavaCPP passes address + position.
            nTokens.position(0).put(b.nTokens, 0, n).position(0);
            tokens.position(0).put(b.tokens, 0, b.tokenCount).position(0);
            starts.position(0).put(b.starts, 0, n).position(0);
            tableOffsets.position(0).put(b.tableOffsets, 0, n).position(0);
            tableLengths.position(0).put(b.tableLengths, 0, n).position(0);
            holes.position(0).put(b.holes, 0, 2 * n).position(0);
            topKs.position(0).put(b.topKs, 0, n).position(0);
            temperatures.position(0).put(b.temperatures, 0, n).position(0);
            topPs.position(0).put(b.topPs, 0, n).position(0);
            seeds.position(0).put(b.seeds, 0, n).position(0);
            draws.position(0).put(b.draws, 0, n).position(0);
            tables = atLeast(tables, b.tableCount);
            tables.position(0).put(b.tables, 0, b.tableCount).position(0);
            minPs.position(0).put(b.minPs, 0, n).position(0);
            penalties.position(0).put(b.penalties, 0, 3 * n).position(0);
            historyOffsets.position(0).put(b.historyOffsets, 0, n).position(0);
            historyLengths.position(0).put(b.historyLengths, 0, n).position(0);
            sampleModes.position(0).put(b.sampleModes, 0, n).position(0);
            parents.position(0).put(b.parents, 0, b.tokenCount).position(0);
            history = atLeast(history, b.historyCount);
            history.position(0).put(b.history, 0, b.historyCount).position(0);
        }

        /** {@code p}, or a replacement twice as large when it holds fewer than {@code needed} ints. */
        private static IntPointer atLeast(IntPointer p, int needed) {
            if (p.capacity() >= needed) return p;
            long size = Math.max(needed, p.capacity() * 2);
            p.close();
            return new IntPointer(size);
        }

        @Override
        public void close() {
            for (org.bytedeco.javacpp.Pointer p : new org.bytedeco.javacpp.Pointer[] {nTokens, tokens, starts,
                    tableOffsets, tableLengths, holes, topKs, outTokens, temperatures, topPs, outLogprobs, seeds, draws, tables,
                    historyOffsets, historyLengths, minPs, penalties, history, sampleModes, parents}) {
                p.close();
            }
        }
    }
}
