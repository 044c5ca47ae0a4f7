package dev.euclid.internal;

import dev.euclid.Sampling;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * One sequence's native state (KV cache + scratch) with the reusable native buffers its steps pass
 * through JNI, so a step allocates nothing. Not thread-safe; close before the model.
 */
public final class NativeSequence implements AutoCloseable {
    private final NativeModel model;
    private final NativeApi.Sequence handle;
    private final int maxChunk;
    private final int vocab;
    private final IntPointer tokens;
    private final FloatPointer logprob = new FloatPointer(1);
    private final NativeApi.SamplingParams params = new NativeApi.SamplingParams();
    private FloatPointer logits; // created on first logits() call
    private int length;
    private boolean closed;

    public NativeSequence(NativeModel model, int capacity, int maxChunk) {
        this.model = model;
        this.maxChunk = Math.min(maxChunk, capacity);
        this.vocab = model.info().vocabSize();
        this.handle = NativeApi.sequence_create(model.checked(), capacity, this.maxChunk);
        this.tokens = new IntPointer(this.maxChunk);
    }

    public int length() {
        return length;
    }

    public int maxChunk() {
        return maxChunk;
    }

    /**
     * Feeds {@code ids[from, from + n)} (n <= maxChunk) and samples the next token with the random
     * draw {@code draw}. The log-probability of the result is then {@link #lastLogprob()}.
     */
    public int step(int[] ids, int from, int n, Sampling sampling, long draw) {
        load(ids, from, n);
        params.temperature(sampling.temperature()).top_k(sampling.topK()).top_p(sampling.topP()).seed(sampling.seed());
        int next = NativeApi.sequence_step(model.checked(), checked(), tokens, n, length, params, draw, logprob);
        length += n;
        return next;
    }

    public float lastLogprob() {
        return logprob.get(0);
    }

    /** Feeds {@code ids[from, from + n)} and copies the logits after each token into out[outRow + i]. */
    public void logits(int[] ids, int from, int n, float[][] out, int outRow) {
        load(ids, from, n);
        if (logits == null) logits = new FloatPointer((long) maxChunk * vocab);
        NativeApi.sequence_logits(model.checked(), checked(), tokens, n, length, logits);
        length += n;
        for (int i = 0; i < n; i++) logits.position((long) i * vocab).get(out[outRow + i], 0, vocab);
        logits.position(0);
    }

    private void load(int[] ids, int from, int n) {
        if (n < 1 || n > maxChunk || from < 0 || from + n > ids.length) {
            throw new IllegalArgumentException("chunk [" + from + ", " + (from + n) + ") of " + ids.length
                    + " tokens does not fit a step of at most " + maxChunk);
        }
        // Absolute put: JavaCPP passes address + position, which must stay 0.
        tokens.position(0).put(ids, from, n);
        tokens.position(0);
    }

    private NativeApi.Sequence checked() {
        if (closed) throw new IllegalStateException("sequence is closed");
        return handle;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        NativeApi.sequence_free(handle);
        tokens.close();
        logprob.close();
        params.close();
        if (logits != null) logits.close();
    }
}
