package dev.euclid.internal;

import dev.euclid.Sampling;
import dev.euclid.TopLogprob;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Runs the engine's steps in native code: owns the native paged KV cache (the block pool) and the
 * step workspace, and runs each step over a {@link StepBatch} as one native call through buffers
 * reused by every step, so a step allocates nothing. Which blocks a sequence uses is decided by
 * {@link dev.euclid.internal.kv.BlockManager}; the block copies and token moves it decides between
 * steps are recorded here and carried out by the next step (or before {@link #logits}). Not
 * thread-safe: the engine runs one step at a time. Close before the model.
 */
public final class NativeStepRunner implements AutoCloseable {
    private final NativeModel model;
    private final NativeApi.KvCache kv;
    private final NativeApi.Workspace ws;
    private final int maxChunk;
    private final int vocab;
    private final KvBlockOps pending;
    private final StepDescriptorBuffers step;
    private final IntPointer tokens;
    private final IntPointer table;
    private final FloatPointer logprob = new FloatPointer(1);
    private final IntPointer topTokens = new IntPointer(NativeApi.MAX_TOP_LOGPROBS);
    private final FloatPointer topLogprobs = new FloatPointer(NativeApi.MAX_TOP_LOGPROBS);
    private final int[] topTokensRead = new int[NativeApi.MAX_TOP_LOGPROBS];
    private final float[] topLogprobsRead = new float[NativeApi.MAX_TOP_LOGPROBS];
    private int lastTopN;
    private final NativeApi.SamplingParams params = new NativeApi.SamplingParams();
    private FloatPointer logits; // created on first logits() call
    private PromptScoreBuffers scores; // created on first scores() call
    private boolean closed;

    public NativeStepRunner(NativeModel model, int blocks, int blockTokens, int kvType, int maxChunk) {
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
        this.pending = new KvBlockOps(blocks, blockTokens);
        this.step = new StepDescriptorBuffers(maxChunk);
        this.tokens = new IntPointer(maxChunk);
        // One block more than the context needs: a sample's hole (see SequenceBlocks) shifts its slots.
        this.table = new IntPointer((model.info().contextLength() + blockTokens - 1) / blockTokens + 1);
    }

    /** The step workspace: after a step, its logits rows' hidden states feed the drafter. */
    public NativeApi.Workspace workspace() {
        return checkedWs();
    }

    public int maxChunk() {
        return maxChunk;
    }

    /** Samples again from the latest step's sampled row {@code row}, reporting the {@code topN} most likely tokens. */
    public int resample(int row, Sampling sampling, long draw, int topN) {
        setParams(sampling);
        int token = NativeApi.resample(model.checked(), checkedWs(), row, params, draw, logprob, topN, topTokens,
                topLogprobs);
        lastTopN = topN;
        return token;
    }

    public float lastLogprob() {
        return logprob.get(0);
    }

    /** The most likely tokens of the latest resample (empty when it asked for none). */
    public List<TopLogprob> lastTopLogprobs() {
        topTokens.position(0).get(topTokensRead, 0, lastTopN).position(0);
        topLogprobs.position(0).get(topLogprobsRead, 0, lastTopN).position(0);
        return TopLogprobRows.read(topTokensRead, topLogprobsRead, 0, lastTopN);
    }

    /**
     * Feeds {@code ids[from, from + n)} at positions [pos, pos + n) with the given block table and
     * copies the logits after each token into out[outRow + i] (teacher forcing, scoring).
     */
    public void logits(int[] blockTable, int tableLength, int[] ids, int from, int n, int pos, float[][] out, int outRow) {
        load(blockTable, tableLength, ids, from, n);
        if (logits == null) logits = new FloatPointer((long) maxChunk * vocab);
        applyPending();
        NativeApi.step_logits(model.checked(), kv, checkedWs(), table, tableLength, tokens, n, pos, logits);
        for (int i = 0; i < n; i++) logits.position((long) i * vocab).get(out[outRow + i], 0, vocab);
        logits.position(0);
    }

    /**
     * Feeds {@code ids[from, from + n)} at positions [pos, pos + n) like {@link #logits} and scores the
     * token after each: {@code ids[from + i + 1]}'s log-probability to logprobs[from + i + 1], and the
     * {@code topN} most likely tokens to top.get(from + i + 1) (as a sampled token's are reported).
     */
    public void scores(int[] blockTable, int tableLength, int[] ids, int from, int n, int pos, int topN, float[] logprobs,
            List<List<TopLogprob>> top) {
        if (from + n + 1 > ids.length) throw new IllegalArgumentException("the last fed token has no next token to score");
        load(blockTable, tableLength, ids, from, n);
        if (scores == null) scores = new PromptScoreBuffers(maxChunk);
        scores.next.position(0).put(ids, from + 1, n).position(0);
        applyPending();
        NativeApi.step_scores(model.checked(), kv, checkedWs(), table, tableLength, tokens, n, pos, scores.next, topN,
                scores.logprobs, scores.topTokens, scores.topLogprobs);
        scores.read(n, topN, logprobs, from + 1, top);
    }

    /**
     * Runs one step over every sequence of {@code b}, after the block copies and moves recorded
     * since the last step, and stores the sampled tokens in {@code b}.
     */
    public void run(StepBatch b) {
        checkedWs();
        // Native buffers hold maxChunk entries per array; a sequence feeds at least one token.
        if (b.sequences < 1 || b.sequences > maxChunk || b.tokenCount > maxChunk) {
            throw new IllegalArgumentException("a step of " + b.sequences + " sequences / " + b.tokenCount
                    + " tokens does not fit (at most " + maxChunk + " tokens)");
        }
        NativeApi.step(model.checked(), kv, ws, step.load(b, pending));
        pending.clear();
        step.readOutputs(b);
    }

    /**
     * Records that the K/V of a sequence's tokens moves from slot from[i] to slot to[i] (accepted
     * draft-tree tokens to their positions), in order; the next step does it before its forward pass.
     */
    public void moveTokens(int[] blockTable, int tableLength, int[] from, int[] to, int n) {
        checkedWs();
        pending.moveSlots(blockTable, tableLength, from, to, n);
    }

    /** Records a copy of block {@code src} onto {@code dst} (copy-on-write), done by the next step. */
    public void copyBlock(int src, int dst) {
        checkedWs();
        pending.copyBlock(src, dst);
    }

    /** Carries out the recorded block copies and moves now (before a native call other than a step reads K/V). */
    private void applyPending() {
        if (pending.count() == 0) return;
        NativeApi.step(model.checked(), kv, ws, step.loadOpsOnly(pending));
        pending.clear();
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
        logprob.close();
        topTokens.close();
        topLogprobs.close();
        params.close();
        step.close();
        if (logits != null) logits.close();
        if (scores != null) scores.close();
    }
}
