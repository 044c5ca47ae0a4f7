package dev.euclid.synthetictest;

import dev.euclid.synthetic.CounterRandom;
import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HfConfigJson;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.synthetic.TensorSpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.ReferenceForward;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class SyntheticModelTest {

    /** Tensors of several parallel chunks (256 x 2100 = 537600 elements), rows crossing chunk edges. */
    static final ModelShape MEDIUM = new ModelShape(ModelShape.LLAMA, 256, 2100, 1, 4, 2, 64, 1000, 64,
            10000.0, 1e-5, false, false);

    @Test
    void layoutNamesAndShapes() {
        List<TensorSpec> tiny = SyntheticModel.of("tiny", 1).tensors();
        assertEquals(new TensorSpec("model.embed_tokens.weight", new int[] {300, 64}), tiny.get(0));
        assertEquals(new TensorSpec("model.layers.0.input_layernorm.weight", new int[] {64}), tiny.get(1));
        assertEquals(new TensorSpec("model.layers.0.self_attn.q_proj.weight", new int[] {64, 64}), tiny.get(2));
        assertEquals(new TensorSpec("model.layers.0.self_attn.k_proj.weight", new int[] {32, 64}), tiny.get(3));
        assertEquals(new TensorSpec("model.layers.0.self_attn.v_proj.weight", new int[] {32, 64}), tiny.get(4));
        assertEquals(new TensorSpec("model.layers.0.self_attn.o_proj.weight", new int[] {64, 64}), tiny.get(5));
        assertEquals(new TensorSpec("model.layers.0.post_attention_layernorm.weight", new int[] {64}), tiny.get(6));
        assertEquals(new TensorSpec("model.layers.0.mlp.gate_proj.weight", new int[] {96, 64}), tiny.get(7));
        assertEquals(new TensorSpec("model.layers.0.mlp.up_proj.weight", new int[] {96, 64}), tiny.get(8));
        assertEquals(new TensorSpec("model.layers.0.mlp.down_proj.weight", new int[] {64, 96}), tiny.get(9));
        assertEquals(new TensorSpec("model.norm.weight", new int[] {64}), tiny.get(tiny.size() - 2));
        assertEquals(new TensorSpec("lm_head.weight", new int[] {300, 64}), tiny.get(tiny.size() - 1));
        assertEquals(1 + 2 * 9 + 2, tiny.size());

        List<TensorSpec> qwen = SyntheticModel.of("tiny-qwen", 1).tensors();
        assertEquals(1 + 2 * 12 + 1, qwen.size()); // biases, no lm_head (tied)
        assertTrue(qwen.contains(new TensorSpec("model.layers.1.self_attn.q_proj.bias", new int[] {64})));
        assertTrue(qwen.contains(new TensorSpec("model.layers.1.self_attn.k_proj.bias", new int[] {16})));
        assertTrue(qwen.contains(new TensorSpec("model.layers.1.self_attn.v_proj.bias", new int[] {16})));
        assertFalse(qwen.stream().anyMatch(t -> t.name().equals("lm_head.weight")));
        assertThrows(IllegalArgumentException.class, () -> SyntheticModel.of("tiny-qwen", 1).generate("lm_head.weight"));
    }

    @Test
    void deterministicPerSeedAndDistinctAcrossSeedsAndTensors() {
        Map<String, float[]> a = SyntheticModel.of("tiny-qwen", 42).materialize();
        Map<String, float[]> b = SyntheticModel.of("tiny-qwen", 42).materialize();
        Map<String, float[]> c = SyntheticModel.of("tiny-qwen", 43).materialize();
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name), b.get(name), name);
            assertFalse(Arrays.equals(a.get(name), c.get(name)), name);
        }
        assertFalse(Arrays.equals(a.get("model.layers.0.mlp.up_proj.weight"), a.get("model.layers.0.mlp.gate_proj.weight")));
        assertFalse(Arrays.equals(a.get("model.layers.0.mlp.up_proj.weight"), a.get("model.layers.1.mlp.up_proj.weight")));
        // Pinned values: any change to the PRNG or the scales is visible (and must be deliberate,
        // because it changes every synthetic model and benchmark baseline).
        float[] q = a.get("model.layers.0.self_attn.q_proj.weight");
        assertEquals(0.11586803f, q[0]);
        assertEquals(-0.39605835f, q[4095]);
        assertEquals(0.016368883f, a.get("model.embed_tokens.weight")[1234]);
        assertEquals(4.0739484f, a.get("model.norm.weight")[5]);
    }

    @Test
    void independentOfThreadCountAndSliceBoundaries() throws Exception {
        SyntheticModel m = new SyntheticModel(MEDIUM, 7);
        for (String name : new String[] {"model.layers.0.mlp.down_proj.weight", "lm_head.weight", "model.embed_tokens.weight"}) {
            float[] common = m.generate(name);
            ForkJoinPool one = new ForkJoinPool(1);
            ForkJoinPool three = new ForkJoinPool(3);
            try {
                assertArrayEquals(common, one.submit(() -> m.generate(name)).get(), name);
                assertArrayEquals(common, three.submit(() -> m.generate(name)).get(), name);
            } finally {
                one.shutdown();
                three.shutdown();
            }
            Random rnd = new Random(1);
            for (int i = 0; i < 20; i++) {
                int len = 1 + rnd.nextInt(common.length / 3);
                int off = rnd.nextInt(common.length - len + 1);
                float[] slice = new float[len + 5];
                m.read(name, off, slice, len);
                assertArrayEquals(Arrays.copyOfRange(common, off, off + len), Arrays.copyOf(slice, len), name);
            }
        }
    }

    @Test
    void scalesFollowTheDocumentedRecipe() {
        SyntheticModel m = new SyntheticModel(MEDIUM, 3);
        assertEquals(3.0 / Math.sqrt(256), std(m.generate("model.layers.0.self_attn.q_proj.weight")), 0.02 * 3 / 16);
        assertEquals(3.0 / Math.sqrt(256), std(m.generate("model.layers.0.self_attn.k_proj.weight")), 0.03 * 3 / 16);
        assertEquals(1.0 / Math.sqrt(256), std(m.generate("model.layers.0.self_attn.v_proj.weight")), 0.03 / 16);
        assertEquals(1.0 / Math.sqrt(256), std(m.generate("model.layers.0.self_attn.o_proj.weight")), 0.02 / 16);
        assertEquals(1.0 / Math.sqrt(2100), std(m.generate("model.layers.0.mlp.down_proj.weight")), 0.02 / Math.sqrt(2100));
        assertRowNorms(m.generate("model.embed_tokens.weight"), 256, 0.25);
        assertRowNorms(m.generate("lm_head.weight"), 256, 1.0);
        float[] norm = m.generate("model.layers.0.input_layernorm.weight");
        assertEquals(1.0, mean(norm), 0.02);
        assertEquals(0.05, std(norm), 0.01);
        assertEquals(1.0, mean(m.generate("model.norm.weight")), 0.02);
        // A tied head reuses the small embedding, so the final norm carries the logit scale.
        SyntheticModel tied = SyntheticModel.of("tiny-qwen", 3);
        assertEquals(4.0, mean(tied.generate("model.norm.weight")), 0.1);
        float[] bias = tied.generate("model.layers.0.self_attn.q_proj.bias");
        assertEquals(0.1, std(bias), 0.03);
    }

    @Test
    void normalApproximationHasUnitMoments() {
        int n = 1_000_000;
        double sum = 0;
        double sq = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            double z = CounterRandom.normal(CounterRandom.bits(99, i));
            sum += z;
            sq += z * z;
            max = Math.max(max, Math.abs(z));
        }
        assertEquals(0.0, sum / n, 0.005);
        assertEquals(1.0, sq / n, 0.005);
        assertTrue(max < 3.47 && max > 3.0, "max " + max);
    }

    /**
     * Random weights must still decode to varied text, or greedy comparisons test almost nothing.
     * A random network maps each context to a pseudo-random next token, so a few tokens are fixed
     * points (about 1 in vocab) and a run that lands on one repeats it forever; with vocab 300 that
     * happens in roughly 1-2% of runs. The test therefore bounds the collapse rate over 48 runs
     * rather than demanding that every seed/prompt pair wanders.
     */
    @Test
    void greedyDoesNotCollapse() {
        int runs = 0;
        int collapsed = 0;
        long distinctTotal = 0;
        StringBuilder bad = new StringBuilder();
        for (String preset : new String[] {"tiny", "tiny-qwen"}) {
            for (long seed = 1; seed <= 8; seed++) {
                ReferenceForward ref = ReferenceForward.of(SyntheticModel.of(preset, seed));
                for (int[] prompt : new int[][] {{1, 2, 3}, {42}, {7, 250, 99, 13}}) {
                    int[] out = ref.greedy(prompt, 32);
                    long distinct = Arrays.stream(out).distinct().count();
                    runs++;
                    distinctTotal += distinct;
                    if (distinct < 5) {
                        collapsed++;
                        bad.append(preset).append(" seed ").append(seed).append(' ').append(Arrays.toString(out)).append('\n');
                    }
                }
            }
        }
        assertTrue(collapsed <= 2, collapsed + " of " + runs + " runs collapsed:\n" + bad);
        assertTrue(distinctTotal >= 20L * runs, "mean distinct tokens per 32 steps " + (double) distinctTotal / runs);
        // The seed other tests use for "tiny" decodes varied text from a plain prompt.
        int[] canonical = ReferenceForward.of(SyntheticModel.of("tiny", 1)).greedy(new int[] {1, 2, 3}, 32);
        assertTrue(Arrays.stream(canonical).distinct().count() >= 16, Arrays.toString(canonical));
    }

    /** Logits are spread (unit-ish std) and the greedy choice is rarely a near tie. */
    @Test
    void logitsAreWellSpread() {
        for (String preset : new String[] {"tiny", "tiny-qwen"}) {
            SyntheticModel model = SyntheticModel.of(preset, 5);
            ReferenceForward ref = ReferenceForward.of(model);
            int[] tokens = new int[48];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = (i * 37 + 11) % model.shape().vocab();
            }
            float[][] logits = ref.logits(tokens);
            double meanStd = 0;
            int smallGaps = 0;
            for (float[] row : logits) {
                meanStd += std(row) / logits.length;
                float[] sorted = row.clone();
                Arrays.sort(sorted);
                if (sorted[sorted.length - 1] - sorted[sorted.length - 2] < 1e-3) {
                    smallGaps++;
                }
            }
            assertTrue(meanStd > 0.7 && meanStd < 1.5, preset + " logit std " + meanStd);
            assertTrue(smallGaps <= 1, preset + ": " + smallGaps + " near ties");
        }
    }

    @Test
    void hfConfigDescribesTheShape() {
        Map<String, Object> c = SyntheticModel.of("qwen0.5b", 1).hfConfig();
        assertEquals(List.of("Qwen2ForCausalLM"), c.get("architectures"));
        assertEquals("qwen2", c.get("model_type"));
        assertEquals(896, c.get("hidden_size"));
        assertEquals(4864, c.get("intermediate_size"));
        assertEquals(24, c.get("num_hidden_layers"));
        assertEquals(14, c.get("num_attention_heads"));
        assertEquals(2, c.get("num_key_value_heads"));
        assertEquals(64, c.get("head_dim"));
        assertEquals(32000, c.get("vocab_size"));
        assertEquals(4096, c.get("max_position_embeddings"));
        assertEquals(1e6, c.get("rope_theta"));
        assertEquals(true, c.get("tie_word_embeddings"));
        assertEquals("silu", c.get("hidden_act"));
        assertEquals("float32", c.get("torch_dtype"));
        assertEquals(31999, c.get("eos_token_id"));
        assertFalse(c.containsKey("bos_token_id"));
        assertEquals("bfloat16", SyntheticModel.of("1b", 1).hfConfig(DType.BF16).get("torch_dtype"));
        assertEquals("llama", SyntheticModel.of("1b", 1).hfConfig().get("model_type"));
        for (String name : ModelShape.presetNames()) {
            assertEquals(ModelShape.named(name), HfConfigJson.toShape(SyntheticModel.of(name, 0).hfConfig()), name);
        }
        ModelShape mistral = new ModelShape(ModelShape.MISTRAL, 64, 96, 2, 4, 2, 16, 300, 128, 1e6, 1e-5, false, false);
        assertEquals("mistral", HfConfigJson.of(mistral, DType.F16).get("model_type"));
        assertEquals(mistral, HfConfigJson.toShape(HfConfigJson.of(mistral, DType.F16)));
    }

    private static void assertRowNorms(float[] m, int cols, double norm) {
        for (int r = 0; r < m.length / cols; r++) {
            double ss = 0;
            for (int c = 0; c < cols; c++) {
                ss += (double) m[r * cols + c] * m[r * cols + c];
            }
            assertEquals(norm, Math.sqrt(ss), 1e-5 * norm, "row " + r);
        }
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(float[] v) {
        double m = mean(v);
        double s = 0;
        for (float x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }
}
