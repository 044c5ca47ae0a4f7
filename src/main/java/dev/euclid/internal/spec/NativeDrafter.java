package dev.euclid.internal.spec;

import dev.euclid.ModelFormatException;
import dev.euclid.internal.NativeApi;
import dev.euclid.internal.NativeModel;
import dev.euclid.internal.NativeRelease;
import java.nio.file.Path;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;

/**
 * A native recurrent drafter bound to its base model, with the native buffers its proposals pass
 * through (grown when a call needs more, then reused, so steady decoding allocates nothing). Not
 * thread-safe: the engine thread drafts. Freed on close, or by a Cleaner if dropped. Close it
 * before the base model.
 */
public final class NativeDrafter implements AutoCloseable {

    private final NativeModel base;
    private final NativeApi.Drafter handle;
    private final DrafterShape shape;
    private final NativeRelease release;
    private IntPointer rows = new IntPointer(1), tokens = new IntPointer(1), out = new IntPointer(1);
    private FloatPointer scores = new FloatPointer(1), hidden = new FloatPointer(1);

    private NativeDrafter(NativeModel base, NativeApi.Drafter handle, DrafterShape shape) {
        this.base = base;
        this.handle = handle;
        this.shape = shape;
        this.release = new NativeRelease(this, "drafter", () -> NativeApi.drafter_free(handle));
    }

    /**
     * Reads a drafter file (see {@link DrafterFile}) and binds it to {@code base}, which must be the
     * model it was trained on (see {@link BaseFingerprint}).
     *
     * @throws ModelFormatException if the file is malformed or made for another base model
     */
    public static NativeDrafter open(Path file, NativeModel base) {
        DrafterFile f = DrafterFile.read(file);
        BaseFingerprint actual = fingerprint(base);
        if (!f.base().matches(actual)) {
            throw new ModelFormatException(file + ": the drafter was trained for another base model: it expects ["
                    + f.base() + "] but this model is [" + actual + "] (largest row-norm difference "
                    + String.format(java.util.Locale.ROOT, "%.3f (tolerance %.2f), row-direction difference %.3f (tolerance %.2f))",
                            f.base().normDeviation(actual), BaseFingerprint.NORM_TOLERANCE, f.base().directionDeviation(actual),
                            BaseFingerprint.DIRECTION_TOLERANCE));
        }
        try {
            return create(base, f.shape(), f.weights());
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** The fingerprint of a loaded base model (copies its embedding and head once). */
    public static BaseFingerprint fingerprint(NativeModel base) {
        float[] embedding = base.tensorF32("tok_embeddings");
        float[] head = base.info().tiedEmbeddings() ? embedding : base.tensorF32("output");
        return BaseFingerprint.of(base.info(), embedding, head);
    }

    /** A drafter from weights in memory (training evaluation, tests); the native side checks them. */
    public static NativeDrafter create(NativeModel base, DrafterShape shape, float[] weights) {
        try (NativeApi.DrafterConfig c = new NativeApi.DrafterConfig(); FloatPointer w = new FloatPointer(weights)) {
            c.dim(shape.dim()).vocab_size(shape.vocab()).mlp_layers(shape.mlpLayers());
            return new NativeDrafter(base, NativeApi.drafter_create(base.checked(), c, w, weights.length), shape);
        }
    }

    public DrafterShape shape() {
        return shape;
    }

    /** Drafts for n sequences of the workspace's latest step (see {@code drafter_propose} in euclid.h). */
    public void propose(NativeApi.Workspace ws, int n, int[] rows, int[] tokens, int beams, int length, int[] outTokens) {
        propose(ws, n, rows, tokens, beams, length, outTokens, null);
    }

    /** Like {@link #propose(NativeApi.Workspace, int, int[], int[], int, int, int[])}, with beam scores when {@code outScores} is not null. */
    public void propose(NativeApi.Workspace ws, int n, int[] rows, int[] tokens, int beams, int length, int[] outTokens,
            float[] outScores) {
        long outCount = checkCounts(n, beams, length, rows.length, tokens.length, outTokens, outScores);
        load(n, tokens, outCount);
        this.rows = atLeast(this.rows, n);
        this.rows.position(0).put(rows, 0, n).position(0);
        NativeApi.drafter_propose(checked(), base.checked(), ws, n, this.rows, this.tokens, beams, length, out,
                outScores == null ? null : scores);
        unload(n, beams, outCount, outTokens, outScores);
    }

    /** Drafts from explicit hidden states hidden[n * dim] (evaluation, tests). */
    public void proposeHidden(float[] hidden, int n, int[] tokens, int beams, int length, int[] outTokens, float[] outScores) {
        long outCount = checkCounts(n, beams, length, n, tokens.length, outTokens, outScores);
        if ((long) n * shape.dim() > hidden.length) {
            throw new IllegalArgumentException(hidden.length + " hidden floats do not hold " + n + " states of dim " + shape.dim());
        }
        load(n, tokens, outCount);
        if (this.hidden.capacity() < (long) n * shape.dim()) {
            this.hidden.close();
            this.hidden = new FloatPointer(Math.max(1L, (long) n * shape.dim()));
        }
        this.hidden.position(0).put(hidden, 0, n * shape.dim()).position(0);
        NativeApi.drafter_propose_hidden(checked(), base.checked(), this.hidden, n, this.tokens, beams, length, out,
                outScores == null ? null : scores);
        unload(n, beams, outCount, outTokens, outScores);
    }

    /** Java-side sizes only: ranges of beams, length, rows and tokens are the native boundary's to check. */
    private static long checkCounts(int n, int beams, int length, int rows, int tokens, int[] outTokens, float[] outScores) {
        if (n < 0 || n > rows || n > tokens) {
            throw new IllegalArgumentException(n + " sequences but " + rows + " rows and " + tokens + " tokens given");
        }
        if (beams < 1 || length < 1) throw new IllegalArgumentException("beams and length must be >= 1, got " + beams + " and " + length);
        long outCount = (long) n * beams * length;
        if (outCount > outTokens.length || (outScores != null && (long) n * beams > outScores.length)) {
            throw new IllegalArgumentException("output arrays cannot hold " + n + " x " + beams + " beams of " + length + " tokens");
        }
        return outCount;
    }

    private void load(int n, int[] tokens, long outCount) {
        checked();
        this.tokens = atLeast(this.tokens, n);
        this.tokens.position(0).put(tokens, 0, n).position(0);
        this.out = atLeast(this.out, outCount);
        if (scores.capacity() < outCount) {
            scores.close();
            scores = new FloatPointer(Math.max(1L, outCount));
        }
    }

    private void unload(int n, int beams, long outCount, int[] outTokens, float[] outScores) {
        out.position(0).get(outTokens, 0, (int) outCount);
        if (outScores != null) scores.position(0).get(outScores, 0, n * beams);
    }

    /** {@code p}, or a replacement twice as large when it holds fewer than {@code needed} ints. */
    private static IntPointer atLeast(IntPointer p, long needed) {
        if (p.capacity() >= needed) return p;
        long size = Math.max(needed, p.capacity() * 2);
        p.close();
        return new IntPointer(size);
    }

    private NativeApi.Drafter checked() {
        if (release.freed()) throw new IllegalStateException("drafter is closed");
        return handle;
    }

    @Override
    public void close() {
        release.close();
        for (org.bytedeco.javacpp.Pointer p : new org.bytedeco.javacpp.Pointer[] {rows, tokens, out, scores, hidden}) p.close();
    }
}
