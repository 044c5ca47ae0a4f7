package dev.euclid.internal;

import dev.euclid.Sampling;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

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
    private final FloatPointer logprob = new FloatPointer(1);
    private final NativeApi.SamplingParams params = new NativeApi.SamplingParams();
    private FloatPointer logits; // created on first logits() call
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
        this.table = new IntPointer((model.info().contextLength() + blockTokens - 1) / blockTokens);
    }

    public int maxChunk() {
        return maxChunk;
    }

    /**
     * Feeds {@code ids[from, from + n)} at positions [pos, pos + n) with K/V stored through {@code
     * blockTable[0, tableLength)}, and samples the next token with the random draw {@code draw}.
     */
    public int step(int[] blockTable, int tableLength, int[] ids, int from, int n, int pos, Sampling sampling,
            long draw) {
        load(blockTable, tableLength, ids, from, n);
        setParams(sampling);
        return NativeApi.step(model.checked(), kv, checkedWs(), table, tableLength, tokens, n, pos, params, draw, logprob);
    }

    /** Samples again from the latest step's logits. */
    public int resample(Sampling sampling, long draw) {
        setParams(sampling);
        return NativeApi.resample(model.checked(), checkedWs(), params, draw, logprob);
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

    public void copyBlock(int src, int dst) {
        checkedWs();
        NativeApi.kv_copy_block(kv, src, dst);
    }

    private void setParams(Sampling s) {
        params.temperature(s.temperature()).top_k(s.topK()).top_p(s.topP()).seed(s.seed());
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
        logprob.close();
        params.close();
        if (logits != null) logits.close();
    }
}
