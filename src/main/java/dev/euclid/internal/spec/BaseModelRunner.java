package dev.euclid.internal.spec;

import dev.euclid.internal.NativeApi;
import dev.euclid.internal.NativeModel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * Runs the base model over one sequence at a time for drafter training: feeds a prompt, then
 * samples a continuation, and records after every position the final-normed hidden state (the
 * drafter's input) and the base model's greedy next token (the drafter's target: what greedy
 * verification accepts). Owns a KV cache for one full context with a fixed block table.
 */
final class BaseModelRunner implements AutoCloseable {
    private static final int BLOCK_TOKENS = 16;

    private final NativeModel model;
    private final NativeApi.KvCache kv;
    private final NativeApi.Workspace ws;
    private final int dim, vocab, context, maxChunk, nBlocks;
    private final IntPointer table, tokens;
    private final FloatPointer hidden, logits;
    private final float[] row;

    /** One base-model sequence: tokens[0 .. length), hidden[p * dim ..] and greedy[p] after each position p. */
    record Sequence(int[] tokens, float[] hidden, int[] greedy, int promptLength) {
        int length() {
            return tokens.length;
        }
    }

    BaseModelRunner(NativeModel model, int maxChunk) {
        this.model = model;
        this.dim = model.info().dim();
        this.vocab = model.info().vocabSize();
        this.context = model.info().contextLength();
        this.maxChunk = Math.min(maxChunk, context);
        this.nBlocks = (context + BLOCK_TOKENS - 1) / BLOCK_TOKENS;
        this.kv = NativeApi.kv_create(model.checked(), nBlocks, BLOCK_TOKENS, NativeApi.KVT_F32);
        try {
            this.ws = NativeApi.workspace_create(model.checked(), this.maxChunk);
        } catch (RuntimeException e) {
            NativeApi.kv_free(kv);
            throw e;
        }
        int[] ids = new int[nBlocks];
        Arrays.setAll(ids, i -> i);
        this.table = new IntPointer(ids);
        this.tokens = new IntPointer(this.maxChunk);
        this.hidden = new FloatPointer((long) this.maxChunk * dim);
        this.logits = new FloatPointer((long) this.maxChunk * vocab);
        this.row = new float[vocab];
    }

    int context() {
        return context;
    }

    /**
     * Feeds {@code prompt} and continues it to {@code length} tokens in all (at most the context),
     * sampling at {@code temperature} (0 = greedy) from {@code random}.
     */
    Sequence run(int[] prompt, int length, double temperature, SplittableRandom random) {
        int total = Math.min(length, context);
        if (prompt.length < 1 || prompt.length > total) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens does not fit a sequence of " + total);
        }
        int[] seq = Arrays.copyOf(prompt, total);
        float[] h = new float[total * dim];
        int[] greedy = new int[total];
        int next = -1;
        for (int pos = 0; pos < total; ) {
            if (pos >= prompt.length) seq[pos] = next;
            // The prompt goes in chunks; the continuation one token at a time, each sampled from the last logits.
            int n = pos < prompt.length ? Math.min(maxChunk, prompt.length - pos) : 1;
            tokens.position(0).put(seq, pos, n).position(0);
            NativeApi.step_hidden(model.checked(), kv, ws, table, nBlocks, tokens, n, pos, hidden, logits);
            hidden.position(0).get(h, pos * dim, n * dim).position(0);
            for (int i = 0; i < n; i++) {
                logits.position((long) i * vocab).get(row, 0, vocab);
                greedy[pos + i] = DrafterNet.argmax(row);
            }
            logits.position(0);
            next = temperature <= 0 ? greedy[pos + n - 1] : sample(row, temperature, random);
            pos += n;
        }
        return new Sequence(seq, h, greedy, prompt.length);
    }

    /** A draw from softmax(logits / temperature). */
    private static int sample(float[] logits, double temperature, SplittableRandom random) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        double[] w = new double[logits.length];
        for (int i = 0; i < logits.length; i++) sum += w[i] = Math.exp((logits[i] - max) / temperature);
        double r = random.nextDouble() * sum;
        for (int i = 0; i < w.length; i++) {
            r -= w[i];
            if (r < 0) return i;
        }
        return w.length - 1;
    }

    @Override
    public void close() {
        NativeApi.workspace_free(ws);
        NativeApi.kv_free(kv);
        table.close();
        tokens.close();
        hidden.close();
        logits.close();
    }
}
