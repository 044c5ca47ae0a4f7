package dev.euclid.internal.spec;

/**
 * Dimensions of a recurrent drafter and where each weight sits in its flat FP32 array (the layout
 * of {@code DrafterConfig} in {@code euclid.h}): W [d][d], U [d][d], b [d], A [d][2d], a [d], then
 * per residual block R_l [d][d], r_l [d], then the head [V][d]; matrices row-major (out x in).
 */
public record DrafterShape(int dim, int vocab, int mlpLayers) {
    /** Limits the native side enforces too; the weight count must also fit one Java array. */
    public static final int MAX_DIM = 1 << 16, MAX_VOCAB = 1 << 22, MAX_MLP_LAYERS = 16;

    public DrafterShape {
        if (dim < 1 || dim > MAX_DIM) throw new IllegalArgumentException("drafter dim " + dim + " is outside [1, " + MAX_DIM + "]");
        if (vocab < 1 || vocab > MAX_VOCAB) {
            throw new IllegalArgumentException("drafter vocabulary " + vocab + " is outside [1, " + MAX_VOCAB + "]");
        }
        if (mlpLayers < 0 || mlpLayers > MAX_MLP_LAYERS) {
            throw new IllegalArgumentException("drafter MLP blocks " + mlpLayers + " is outside [0, " + MAX_MLP_LAYERS + "]");
        }
        long d = dim;
        long count = 4 * d * d + 2 * d + mlpLayers * (d * d + d) + vocab * d;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a drafter of dim " + dim + " and vocabulary " + vocab + " has " + count
                    + " weights, more than one array holds");
        }
    }

    /** Floats in the flat weight array. */
    public int weightCount() {
        return head() + vocab * dim;
    }

    public int w() {
        return 0;
    }

    public int u() {
        return dim * dim;
    }

    public int b() {
        return 2 * dim * dim;
    }

    /** The MLP input projection A [d][2d] of [h ; s]. */
    public int a() {
        return b() + dim;
    }

    public int aBias() {
        return a() + 2 * dim * dim;
    }

    /** Residual block l: R_l [d][d] at res(l), its bias r_l [d] at res(l) + d * d. */
    public int res(int l) {
        return aBias() + dim + l * (dim * dim + dim);
    }

    public int resBias(int l) {
        return res(l) + dim * dim;
    }

    public int head() {
        return res(mlpLayers);
    }
}
