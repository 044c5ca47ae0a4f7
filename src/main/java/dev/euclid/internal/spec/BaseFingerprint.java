package dev.euclid.internal.spec;

import dev.euclid.ModelInfo;
import java.util.Arrays;
import java.util.Locale;

/**
 * What ties a drafter to the base model it was trained on: the architecture's dimensions (exact,
 * whatever file format carried them) and a sketch of
 * the weights, the L2 norms of {@link #ROWS} evenly spaced rows of the embedding and of the LM
 * head. The sketch is compared with a tolerance rather than hashed, so an engine built from the same
 * checkpoint in another precision (FP8, INT8, BF16: each row's norm moves well under 1% at dim 64)
 * accepts the drafter, while a different checkpoint of the same shape (independent weights: norms
 * differ by far more on some of the rows) is refused. A mismatch could never make decoding wrong,
 * since the base model verifies every draft; it would make it slow.
 */
public record BaseFingerprint(int dim, int ffnDim, int layers, int heads, int kvHeads, int vocab,
        boolean tied, float[] embeddingNorms, float[] headNorms) {
    public static final int ROWS = 32;
    /** Largest relative difference of a sketched row norm still taken as the same weights. */
    public static final double TOLERANCE = 0.03;

    public BaseFingerprint {
        if (embeddingNorms.length != Math.min(ROWS, vocab) || headNorms.length != embeddingNorms.length) {
            throw new IllegalArgumentException("a base fingerprint needs " + Math.min(ROWS, vocab) + " row norms of the"
                    + " embedding and of the head, got " + embeddingNorms.length + " and " + headNorms.length);
        }
        embeddingNorms = embeddingNorms.clone();
        headNorms = headNorms.clone();
    }

    /** The fingerprint of a model from its dequantized embedding and head (vocab x dim each). */
    public static BaseFingerprint of(ModelInfo info, float[] embedding, float[] head) {
        return new BaseFingerprint(info.dim(), info.ffnDim(), info.layers(), info.heads(),
                info.kvHeads(), info.vocabSize(), info.tiedEmbeddings(), rowNorms(embedding, info.vocabSize(), info.dim()),
                rowNorms(head, info.vocabSize(), info.dim()));
    }

    private static float[] rowNorms(float[] m, int rows, int cols) {
        int n = Math.min(ROWS, rows);
        float[] norms = new float[n];
        for (int i = 0; i < n; i++) {
            long row = (long) i * rows / n;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double v = m[(int) (row * cols + j)];
                sum += v * v;
            }
            norms[i] = (float) Math.sqrt(sum);
        }
        return norms;
    }

    @Override
    public float[] embeddingNorms() {
        return embeddingNorms.clone();
    }

    @Override
    public float[] headNorms() {
        return headNorms.clone();
    }

    /** Whether {@code other} describes the same architecture and, within the tolerance, the same weights. */
    public boolean matches(BaseFingerprint other) {
        return dim == other.dim && ffnDim == other.ffnDim
                && layers == other.layers && heads == other.heads && kvHeads == other.kvHeads && vocab == other.vocab
                && tied == other.tied && maxDeviation(other) <= TOLERANCE;
    }

    /** Largest relative difference between the two sketches (infinite when their sizes differ). */
    public double maxDeviation(BaseFingerprint other) {
        if (embeddingNorms.length != other.embeddingNorms.length) return Double.POSITIVE_INFINITY;
        double worst = 0;
        for (int i = 0; i < embeddingNorms.length; i++) {
            worst = Math.max(worst, relative(embeddingNorms[i], other.embeddingNorms[i]));
            worst = Math.max(worst, relative(headNorms[i], other.headNorms[i]));
        }
        return worst;
    }

    private static double relative(float a, float b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale < 1e-12 ? 0 : Math.abs(a - b) / scale;
    }

    /** A one-line description naming the architecture and the start of the sketch. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "dim %d, ffn %d, %d layers, %d/%d heads, vocab %d, %s head, row norms %s",
                dim, ffnDim, layers, heads, kvHeads, vocab, tied ? "tied" : "own",
                Arrays.toString(Arrays.copyOf(embeddingNorms, Math.min(4, embeddingNorms.length))).replace("]", ", ...]"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BaseFingerprint f && dim == f.dim
                && ffnDim == f.ffnDim && layers == f.layers && heads == f.heads && kvHeads == f.kvHeads
                && vocab == f.vocab && tied == f.tied && Arrays.equals(embeddingNorms, f.embeddingNorms)
                && Arrays.equals(headNorms, f.headNorms);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(embeddingNorms) * 31 + Arrays.hashCode(headNorms) + dim;
    }
}
