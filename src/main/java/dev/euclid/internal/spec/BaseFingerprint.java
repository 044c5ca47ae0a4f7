package dev.euclid.internal.spec;

import dev.euclid.ModelInfo;
import java.util.Arrays;
import java.util.Locale;

/**
 * What ties a drafter to the base model it was trained on: the architecture's dimensions (exact,
 * whatever file format carried them) and a sketch of the weights. For {@link #ROWS} evenly spaced
 * rows of the embedding and then of the LM head, the sketch holds each row's L2 norm and its
 * direction along a fixed +-1 vector v (r . v / (|r| sqrt(dim)), in [-1, 1]).
 *
 * <p>The sketch is compared with tolerances rather than hashed, so an engine built from the same
 * checkpoint in another precision accepts the drafter (on stories260K FP8 moves a norm by at most
 * 1%, the others far less; a direction moves by about 0.04 / sqrt(dim)), while another checkpoint
 * of the same shape is refused: independent weights give directions spread about 1 / sqrt(dim)
 * apart, so 64 of them all agreeing within the tolerance does not happen by chance. (Norms alone
 * are not enough: stories260K's embedding rows all have nearly the same norm.) A mismatch could
 * never make decoding wrong, since the base model verifies every draft; it would make it slow.
 */
public record BaseFingerprint(int dim, int ffnDim, int layers, int heads, int kvHeads, int vocab, boolean tied,
        float[] norms, float[] directions) {
    public static final int ROWS = 32;
    /** Largest relative difference of a row norm still taken as the same weights. */
    public static final double NORM_TOLERANCE = 0.03;
    /** Largest absolute difference of a row direction still taken as the same weights. */
    public static final double DIRECTION_TOLERANCE = 0.02;

    public BaseFingerprint {
        int n = 2 * Math.min(ROWS, vocab);
        if (norms.length != n || directions.length != n) {
            throw new IllegalArgumentException("a base fingerprint of vocabulary " + vocab + " needs " + n
                    + " row norms and directions, got " + norms.length + " and " + directions.length);
        }
        norms = norms.clone();
        directions = directions.clone();
    }

    /** The fingerprint of a model from its dequantized embedding and head (vocab x dim each). */
    public static BaseFingerprint of(ModelInfo info, float[] embedding, float[] head) {
        int vocab = info.vocabSize(), dim = info.dim(), n = Math.min(ROWS, vocab);
        float[] norms = new float[2 * n], directions = new float[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            float[] m = i < n ? embedding : head;
            long row = (long) (i % n) * vocab / n;
            double sum = 0, along = 0;
            for (int j = 0; j < dim; j++) {
                double v = m[(int) (row * dim + j)];
                sum += v * v;
                along += sign(j) * v;
            }
            norms[i] = (float) Math.sqrt(sum);
            directions[i] = sum == 0 ? 0f : (float) (along / Math.sqrt(sum * dim));
        }
        return new BaseFingerprint(dim, info.ffnDim(), info.layers(), info.heads(), info.kvHeads(), vocab,
                info.tiedEmbeddings(), norms, directions);
    }

    /** Component j of the fixed +-1 direction (bits of a multiplicative hash: no pattern a model could share). */
    private static int sign(int j) {
        return ((j * 2654435761L) >>> 15 & 1) == 0 ? 1 : -1;
    }

    @Override
    public float[] norms() {
        return norms.clone();
    }

    @Override
    public float[] directions() {
        return directions.clone();
    }

    /**
     * Whether {@code other} has the same dimensions and, within the tolerances, the same weights.
     * Tying is not compared: a Hugging Face folder may store a tied head as its own tensor.
     */
    public boolean matches(BaseFingerprint other) {
        return dim == other.dim && ffnDim == other.ffnDim && layers == other.layers && heads == other.heads
                && kvHeads == other.kvHeads && vocab == other.vocab && normDeviation(other) <= NORM_TOLERANCE
                && directionDeviation(other) <= DIRECTION_TOLERANCE;
    }

    /** Largest relative difference between the two sketches' row norms (infinite when their sizes differ). */
    public double normDeviation(BaseFingerprint other) {
        if (norms.length != other.norms.length) return Double.POSITIVE_INFINITY;
        double worst = 0;
        for (int i = 0; i < norms.length; i++) {
            double scale = Math.max(Math.abs(norms[i]), Math.abs(other.norms[i]));
            if (scale > 1e-12) worst = Math.max(worst, Math.abs(norms[i] - other.norms[i]) / scale);
        }
        return worst;
    }

    /** Largest absolute difference between the two sketches' row directions (infinite when their sizes differ). */
    public double directionDeviation(BaseFingerprint other) {
        if (directions.length != other.directions.length) return Double.POSITIVE_INFINITY;
        double worst = 0;
        for (int i = 0; i < directions.length; i++) worst = Math.max(worst, Math.abs(directions[i] - other.directions[i]));
        return worst;
    }

    /** A one-line description: the dimensions and the start of the sketch. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "dim %d, ffn %d, %d layers, %d/%d heads, vocab %d, %s head, rows %s",
                dim, ffnDim, layers, heads, kvHeads, vocab, tied ? "tied" : "own", start());
    }

    private String start() {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < Math.min(3, norms.length); i++) {
            s.append(String.format(Locale.ROOT, "%s|%.3f| %+.3f", i > 0 ? ", " : "", norms[i], directions[i]));
        }
        return s.append(", ...]").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BaseFingerprint f && dim == f.dim && ffnDim == f.ffnDim && layers == f.layers
                && heads == f.heads && kvHeads == f.kvHeads && vocab == f.vocab && tied == f.tied
                && Arrays.equals(norms, f.norms) && Arrays.equals(directions, f.directions);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(norms) * 31 + Arrays.hashCode(directions)) * 31 + dim;
    }
}
