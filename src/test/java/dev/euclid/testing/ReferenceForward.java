package dev.euclid.testing;

import dev.euclid.Activations;
import dev.euclid.synthetic.HfTensorLayout;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A deliberately plain Llama-family forward pass used as ground truth in tests: one token at a
 * time, with a KV cache, all activations and accumulations in double, weights read directly from
 * HF-named row-major (out, in) float arrays. Clarity over speed; no shared code with the engine.
 *
 * <p>Per layer: x += o(attn(rope(q(n1(x))), rope(k(n1(x))), v(n1(x)))), then
 * x += down(silu(gate(n2(x))) * up(n2(x))); finally logits = head · norm(x), the head being the
 * embedding when tied.
 */
public final class ReferenceForward {

    /** Which components RoPE rotates together within a head of width hd. */
    public enum RopeLayout {
        /** Hugging Face weights: pairs (j, j + hd/2). */
        ROTATE_HALF,
        /** llama2.c / Meta / GGUF weights: pairs (2j, 2j + 1). */
        INTERLEAVED
    }

    private final ModelShape s;
    private final Map<String, float[]> w;
    private final RopeLayout rope;
    private final float[] head;
    private final Activations activations;

    public ReferenceForward(ModelShape shape, Map<String, float[]> weights, RopeLayout rope) {
        this(shape, weights, rope, Activations.FP32);
    }

    private ReferenceForward(ModelShape shape, Map<String, float[]> weights, RopeLayout rope, Activations activations) {
        this.activations = activations;
        this.s = shape;
        this.w = weights;
        this.rope = rope;
        for (var spec : HfTensorLayout.specs(shape)) {
            float[] t = weights.get(spec.name());
            if (t == null || t.length != spec.numel()) {
                throw new IllegalArgumentException("missing or mis-sized tensor " + spec);
            }
        }
        this.head = shape.tiedEmbeddings() ? weights.get(HfTensorLayout.EMBED) : weights.get(HfTensorLayout.LM_HEAD);
    }

    /**
     * The same model with every matrix product's input taken as the engine's activations do. INT8:
     * the input rounded to FP32, then per block of 32 values d = max|x| / 127 and x = d *
     * round-half-even(x * (127 / max|x|)), in FP32 arithmetic. BF16: the input rounded to FP32, then
     * to BF16 (to nearest even).
     */
    public ReferenceForward withActivations(Activations a) {
        return new ReferenceForward(s, w, rope, a);
    }

    /** A synthetic model's HF weights with HF RoPE. */
    public static ReferenceForward of(SyntheticModel model) {
        return new ReferenceForward(model.shape(), model.materialize(), RopeLayout.ROTATE_HALF);
    }

    /** Logits after each position, feeding {@code tokens} (teacher forcing). */
    public float[][] logits(int[] tokens) {
        State st = new State();
        float[][] out = new float[tokens.length][];
        for (int pos = 0; pos < tokens.length; pos++) {
            out[pos] = st.step(tokens[pos]);
        }
        return out;
    }

    /** Greedy continuation: the {@code newTokens} ids generated after {@code prompt} (not including it). */
    public int[] greedy(int[] prompt, int newTokens) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("empty prompt");
        }
        State st = new State();
        float[] last = null;
        for (int t : prompt) {
            last = st.step(t);
        }
        int[] out = new int[newTokens];
        for (int i = 0; i < newTokens; i++) {
            out[i] = argmax(last);
            if (i + 1 < newTokens) {
                last = st.step(out[i]);
            }
        }
        return out;
    }

    /** Index of the largest value; the lowest index wins ties. */
    public static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** KV cache of one sequence. */
    private final class State {
        private final List<List<double[]>> keys = new ArrayList<>();
        private final List<List<double[]>> values = new ArrayList<>();

        State() {
            for (int l = 0; l < s.layers(); l++) {
                keys.add(new ArrayList<>());
                values.add(new ArrayList<>());
            }
        }

        float[] step(int token) {
            if (token < 0 || token >= s.vocab()) {
                throw new IllegalArgumentException("token " + token + " out of range");
            }
            int pos = keys.get(0).size();
            int dim = s.dim();
            double[] x = new double[dim];
            float[] emb = w.get(HfTensorLayout.EMBED);
            for (int i = 0; i < dim; i++) {
                x[i] = emb[token * dim + i];
            }
            for (int l = 0; l < s.layers(); l++) {
                double[] xn = rmsNorm(x, w.get(HfTensorLayout.inputNorm(l)));
                double[] q = project(l, 'q', xn);
                double[] k = project(l, 'k', xn);
                double[] v = project(l, 'v', xn);
                applyRope(q, s.heads(), pos);
                applyRope(k, s.kvHeads(), pos);
                keys.get(l).add(k);
                values.get(l).add(v);
                double[] att = attention(q, keys.get(l), values.get(l));
                add(x, matVec(w.get(HfTensorLayout.attnWeight(l, 'o')), att, dim));

                xn = rmsNorm(x, w.get(HfTensorLayout.postAttentionNorm(l)));
                double[] gate = matVec(w.get(HfTensorLayout.mlp(l, "gate")), xn, s.ffn());
                double[] up = matVec(w.get(HfTensorLayout.mlp(l, "up")), xn, s.ffn());
                double[] hidden = new double[s.ffn()];
                for (int i = 0; i < hidden.length; i++) {
                    hidden[i] = gate[i] / (1.0 + Math.exp(-gate[i])) * up[i]; // silu(g) * u
                }
                add(x, matVec(w.get(HfTensorLayout.mlp(l, "down")), hidden, dim));
            }
            double[] logits = matVec(head, rmsNorm(x, w.get(HfTensorLayout.FINAL_NORM)), s.vocab());
            float[] out = new float[logits.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) logits[i];
            }
            return out;
        }

        private double[] project(int layer, char which, double[] xn) {
            int rows = which == 'q' ? s.qDim() : s.kvDim();
            double[] y = matVec(w.get(HfTensorLayout.attnWeight(layer, which)), xn, rows);
            if (s.qkvBias()) {
                float[] b = w.get(HfTensorLayout.attnBias(layer, which));
                for (int i = 0; i < rows; i++) {
                    y[i] += b[i];
                }
            }
            return y;
        }

        /** Causal GQA: query head h reads KV head h / (heads / kvHeads). */
        private double[] attention(double[] q, List<double[]> ks, List<double[]> vs) {
            int hd = s.headDim();
            double scale = 1.0 / Math.sqrt(hd);
            double[] out = new double[s.qDim()];
            int n = ks.size();
            for (int h = 0; h < s.heads(); h++) {
                int kvOff = (h / s.groupSize()) * hd;
                int qOff = h * hd;
                double[] scores = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < n; t++) {
                    double dot = 0;
                    for (int i = 0; i < hd; i++) {
                        dot += q[qOff + i] * ks.get(t)[kvOff + i];
                    }
                    scores[t] = dot * scale;
                    max = Math.max(max, scores[t]);
                }
                double sum = 0;
                for (int t = 0; t < n; t++) {
                    scores[t] = Math.exp(scores[t] - max);
                    sum += scores[t];
                }
                for (int t = 0; t < n; t++) {
                    double p = scores[t] / sum;
                    for (int i = 0; i < hd; i++) {
                        out[qOff + i] += p * vs.get(t)[kvOff + i];
                    }
                }
            }
            return out;
        }

        /** Rotates each head's pairs by pos * theta^(-2j/hd), pairing per the layout. */
        private void applyRope(double[] vec, int nHeads, int pos) {
            int hd = s.headDim();
            for (int h = 0; h < nHeads; h++) {
                int base = h * hd;
                for (int j = 0; j < hd / 2; j++) {
                    double angle = pos * Math.pow(s.ropeTheta(), -2.0 * j / hd);
                    double cos = Math.cos(angle);
                    double sin = Math.sin(angle);
                    int a = rope == RopeLayout.ROTATE_HALF ? base + j : base + 2 * j;
                    int b = rope == RopeLayout.ROTATE_HALF ? base + j + hd / 2 : base + 2 * j + 1;
                    double x0 = vec[a];
                    double x1 = vec[b];
                    vec[a] = x0 * cos - x1 * sin;
                    vec[b] = x0 * sin + x1 * cos;
                }
            }
        }

        private double[] rmsNorm(double[] x, float[] weight) {
            double ss = 0;
            for (double v : x) {
                ss += v * v;
            }
            double inv = 1.0 / Math.sqrt(ss / x.length + s.rmsEps());
            double[] out = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                out[i] = x[i] * inv * weight[i];
            }
            return out;
        }
    }

    /** y = W x for row-major W of shape (rows, x.length); x quantised first with INT8 activations. */
    private double[] matVec(float[] weight, double[] input, int rows) {
        double[] x = switch (activations) {
            case INT8 -> quantisedInt8(input);
            case BF16 -> roundedBf16(input);
            case FP32 -> input;
        };
        int cols = x.length;
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            int off = r * cols;
            for (int c = 0; c < cols; c++) {
                acc += weight[off + c] * x[c];
            }
            y[r] = acc;
        }
        return y;
    }

    private static double[] quantisedInt8(double[] x) {
        double[] out = new double[x.length];
        for (int b = 0; b < x.length; b += 32) {
            int end = Math.min(b + 32, x.length);
            float amax = 0f;
            for (int k = b; k < end; k++) amax = Math.max(amax, Math.abs((float) x[k]));
            float d = amax / 127f, inv = amax > 0f ? 127f / amax : 0f;
            for (int k = b; k < end; k++) out[k] = (float) Math.rint((float) x[k] * inv) * d;
        }
        return out;
    }

    private static double[] roundedBf16(double[] x) {
        double[] out = new double[x.length];
        for (int k = 0; k < x.length; k++) {
            int u = Float.floatToRawIntBits((float) x[k]);
            out[k] = Float.intBitsToFloat(((u + 0x7FFF + ((u >>> 16) & 1)) >>> 16) << 16);
        }
        return out;
    }

    private static void add(double[] x, double[] delta) {
        for (int i = 0; i < x.length; i++) {
            x[i] += delta[i];
        }
    }
}
