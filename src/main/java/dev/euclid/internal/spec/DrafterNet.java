package dev.euclid.internal.spec;

/**
 * The drafter's forward pass in Java, with its gradient: the same function the native drafter
 * computes (see {@code DrafterConfig} in {@code euclid.h}), here teacher-forced over K draft
 * positions for training:
 *
 * <pre>
 *   s_0 = h;  s_k = SiLU(W e(x_k) + U s_{k-1} + b)           x_1 = the base model's token after h
 *   m_k = A [h ; s_k] + a;  m_k += SiLU(R_l m_k + r_l) per block
 *   loss = sum_k CE(Head m_k, y_k)                           y_k = the base model's greedy token after x_k
 * </pre>
 *
 * The embedding e is the base model's (frozen); every other weight lives in one flat array in the
 * {@link DrafterShape} layout. Gradients flow back through the K recurrent steps. One
 * {@link Trace} per thread holds the activations, so a call allocates nothing.
 */
final class DrafterNet {
    private final DrafterShape shape;
    private final float[] embedding;
    private final int d, vocab, blocks;

    DrafterNet(DrafterShape shape, float[] embedding) {
        if (embedding.length != shape.vocab() * shape.dim()) {
            throw new IllegalArgumentException("embedding of " + embedding.length + " floats does not fit " + shape);
        }
        this.shape = shape;
        this.embedding = embedding;
        this.d = shape.dim();
        this.vocab = shape.vocab();
        this.blocks = shape.mlpLayers();
    }

    DrafterShape shape() {
        return shape;
    }

    /** Activations of one example over at most maxSteps draft positions. */
    final class Trace {
        final float[][] pre, state, z, logits; // state[k] = s_k for k >= 1 (s_0 is h)
        final float[][][] m, q;
        final float[] dm, dq, dState, carry, dPre;

        Trace(int maxSteps) {
            pre = new float[maxSteps][d];
            state = new float[maxSteps + 1][];
            for (int k = 1; k <= maxSteps; k++) state[k] = new float[d];
            z = new float[maxSteps][2 * d];
            m = new float[maxSteps][blocks + 1][d];
            q = new float[maxSteps][blocks][d];
            logits = new float[maxSteps][vocab];
            dm = new float[d];
            dq = new float[d];
            dState = new float[maxSteps * d]; // d(loss)/d(s_k) from the MLP, step k at k * d
            carry = new float[d];
            dPre = new float[d];
        }
    }

    Trace trace(int maxSteps) {
        return new Trace(maxSteps);
    }

    /**
     * Runs the drafter over inputs[from .. from + steps) from hidden state h[hOff .. hOff + d),
     * leaving logits_k in t.logits[k] (not normalised).
     */
    void forward(float[] p, float[] h, int hOff, int[] inputs, int from, int steps, Trace t) {
        for (int k = 0; k < steps; k++) {
            float[] prev = k == 0 ? null : t.state[k];
            float[] pre = t.pre[k];
            int e = inputs[from + k] * d;
            for (int o = 0; o < d; o++) {
                int wRow = shape.w() + o * d, uRow = shape.u() + o * d;
                float sum = p[shape.b() + o];
                for (int i = 0; i < d; i++) sum += p[wRow + i] * embedding[e + i];
                if (prev == null) {
                    for (int i = 0; i < d; i++) sum += p[uRow + i] * h[hOff + i];
                } else {
                    for (int i = 0; i < d; i++) sum += p[uRow + i] * prev[i];
                }
                pre[o] = sum;
            }
            float[] s = t.state[k + 1];
            for (int o = 0; o < d; o++) s[o] = silu(pre[o]);
            float[] z = t.z[k];
            System.arraycopy(h, hOff, z, 0, d);
            System.arraycopy(s, 0, z, d, d);
            matvec(p, shape.a(), shape.aBias(), z, 2 * d, t.m[k][0], d);
            for (int l = 0; l < blocks; l++) {
                float[] in = t.m[k][l], q = t.q[k][l], out = t.m[k][l + 1];
                matvec(p, shape.res(l), shape.resBias(l), in, d, q, d);
                for (int o = 0; o < d; o++) out[o] = in[o] + silu(q[o]);
            }
            matvec(p, shape.head(), -1, t.m[k][blocks], d, t.logits[k], vocab);
        }
    }

    /**
     * Forward and backward of one example: adds scale x d(loss)/d(weights) to grad, counts the
     * positions whose most likely token is the label in correct[k], and returns the summed
     * cross-entropy (nats) over the steps.
     */
    double train(float[] p, float[] h, int hOff, int[] inputs, int from, int[] labels, int steps, float scale,
            float[] grad, int[] correct, Trace t) {
        forward(p, h, hOff, inputs, from, steps, t);
        java.util.Arrays.fill(t.dState, 0, steps * d, 0f);
        double loss = 0;
        for (int k = 0; k < steps; k++) {
            float[] logits = t.logits[k];
            int label = labels[from + k];
            int best = argmax(logits);
            if (best == label && correct != null) correct[k]++;
            float max = logits[best];
            float labelLogit = logits[label];
            // dlogits = softmax - onehot(label), in the logits row: one exp per token.
            double sum = 0;
            for (int v = 0; v < vocab; v++) sum += logits[v] = (float) Math.exp(logits[v] - max);
            loss += max + Math.log(sum) - labelLogit;
            float inv = (float) (scale / sum);
            for (int v = 0; v < vocab; v++) logits[v] *= inv;
            logits[label] -= scale;
            // Head: dHead += dlogits (x) m; dm = Head^T dlogits.
            float[] mTop = t.m[k][blocks];
            float[] dm = t.dm;
            java.util.Arrays.fill(dm, 0f);
            for (int v = 0; v < vocab; v++) {
                float g = logits[v];
                int row = shape.head() + v * d;
                for (int i = 0; i < d; i++) {
                    grad[row + i] += g * mTop[i];
                    dm[i] += g * p[row + i];
                }
            }
            // Residual blocks, last first: m_{l+1} = m_l + SiLU(q_l), q_l = R_l m_l + r_l.
            for (int l = blocks - 1; l >= 0; l--) {
                float[] q = t.q[k][l], in = t.m[k][l], dq = t.dq;
                for (int o = 0; o < d; o++) dq[o] = dm[o] * siluGrad(q[o]);
                accumulateOuter(grad, shape.res(l), shape.resBias(l), dq, d, in, d);
                addTransposed(p, shape.res(l), d, dq, d, 0, d, dm, 0); // dm_l = dm_{l+1} + R^T dq
            }
            // MLP input: m_0 = A [h ; s] + a; only the s half gets a gradient (h is the base model's).
            accumulateOuter(grad, shape.a(), shape.aBias(), dm, d, t.z[k], 2 * d);
            addTransposed(p, shape.a(), 2 * d, dm, d, d, d, t.dState, k * d);
        }
        // Through the recurrence, last step first: s_k = SiLU(W e_k + U s_{k-1} + b).
        float[] carry = t.carry, dPre = t.dPre;
        java.util.Arrays.fill(carry, 0f);
        for (int k = steps - 1; k >= 0; k--) {
            float[] pre = t.pre[k];
            for (int o = 0; o < d; o++) dPre[o] = (t.dState[k * d + o] + carry[o]) * siluGrad(pre[o]);
            int e = inputs[from + k] * d;
            java.util.Arrays.fill(carry, 0f);
            for (int o = 0; o < d; o++) {
                float g = dPre[o];
                int wRow = shape.w() + o * d, uRow = shape.u() + o * d;
                grad[shape.b() + o] += g;
                for (int i = 0; i < d; i++) grad[wRow + i] += g * embedding[e + i];
                if (k == 0) {
                    for (int i = 0; i < d; i++) grad[uRow + i] += g * h[hOff + i];
                } else {
                    float[] prev = t.state[k];
                    for (int i = 0; i < d; i++) {
                        grad[uRow + i] += g * prev[i];
                        carry[i] += g * p[uRow + i];
                    }
                }
            }
        }
        return loss;
    }

    /** For y = M x + bias (M at m, rows x cols, bias at bias): adds dy (x) x to grad[M] and dy to grad[bias]. */
    private static void accumulateOuter(float[] grad, int m, int bias, float[] dy, int rows, float[] x, int cols) {
        for (int o = 0; o < rows; o++) {
            float g = dy[o];
            grad[bias + o] += g;
            int row = m + o * cols;
            for (int i = 0; i < cols; i++) grad[row + i] += g * x[i];
        }
    }

    /** dx[dxOff + i] += sum_o M[o][from + i] dy[o] for i < count: the input gradient of y = M x, columns from .. from + count. */
    private static void addTransposed(float[] p, int m, int cols, float[] dy, int rows, int from, int count, float[] dx,
            int dxOff) {
        for (int o = 0; o < rows; o++) {
            float g = dy[o];
            int row = m + o * cols + from;
            for (int i = 0; i < count; i++) dx[dxOff + i] += g * p[row + i];
        }
    }

    /** y[o] = M[o] . x (+ bias[o]) for M at p[m] of rows x cols; bias < 0 means none. */
    private static void matvec(float[] p, int m, int bias, float[] x, int cols, float[] y, int rows) {
        for (int o = 0; o < rows; o++) {
            int row = m + o * cols;
            float sum = bias < 0 ? 0f : p[bias + o];
            for (int i = 0; i < cols; i++) sum += p[row + i] * x[i];
            y[o] = sum;
        }
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }

    /** d SiLU(x)/dx = sigma(x) (1 + x (1 - sigma(x))). */
    static float siluGrad(float x) {
        float s = 1f / (1f + (float) Math.exp(-x));
        return s * (1f + x * (1f - s));
    }
}
