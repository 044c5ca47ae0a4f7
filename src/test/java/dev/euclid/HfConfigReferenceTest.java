package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.testing.NumpyReference;
import dev.euclid.testing.SyntheticHfFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The config keys real checkpoints use (rope_scaling of every supported type, both spellings of
 * its type key and transformers 5's rope_parameters, attention_bias, tied embeddings, sliding
 * windows, F16/BF16 shards) on small random-weight folders, against the numpy reference forward
 * pass written from transformers' code. Original context lengths are 32 and sequences 100 tokens
 * long, so most positions lie where the scaling changes the rotation.
 */
class HfConfigReferenceTest {
    /** Max |logit difference| allowed against the reference, FP32 weights. */
    private static final double TOLERANCE = 1e-4;
    private static final int TOKENS = 100;

    @TempDir Path tmp;

    record Case(ModelShape shape, DType dtype, int shards, Map<String, Object> config, boolean outputBias,
            RopeScaling.Type type, int context) {}

    private static ModelShape llama(int maxPositions, double theta, boolean tied) {
        return new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 2, 16, 300, maxPositions, theta, 1e-5, false, tied);
    }

    /** A Llama with attention_bias: the synthetic layout's q/k/v biases, and o biases added by the fixture. */
    private static ModelShape biasedLlama() {
        return new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 2, 16, 300, 128, 500000, 1e-5, true, false);
    }

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }

    static Stream<Arguments> cases() {
        ModelShape qwen = new ModelShape(ModelShape.QWEN2, 64, 96, 2, 4, 1, 16, 300, 32, 10000, 1e-6, true, true);
        ModelShape mistral = new ModelShape(ModelShape.MISTRAL, 64, 96, 2, 4, 2, 24, 300, 32, 10000, 1e-5, false, false);
        return Stream.of(
                Arguments.of("no rope_scaling, tied embeddings", new Case(llama(128, 10000, true), DType.F32, 1,
                        config("rope_scaling", null), false, RopeScaling.Type.NONE, 128)),
                Arguments.of("linear, factor 4", new Case(llama(32, 10000, false), DType.F32, 1,
                        config("rope_scaling", config("type", "linear", "factor", 4.0)), false,
                        RopeScaling.Type.LINEAR, 128)),
                Arguments.of("dynamic NTK, factor 4", new Case(llama(32, 10000, false), DType.F32, 1,
                        config("rope_scaling", config("rope_type", "dynamic", "factor", 4.0)), false,
                        RopeScaling.Type.DYNAMIC, 128)),
                // theta 10000, head_dim 16, original 32: pair 0 is a high frequency (kept), pair 1
                // medium (smoothed), pairs 2-7 low (divided by the factor).
                Arguments.of("llama3 (Llama 3.1 style)", new Case(llama(256, 10000, false), DType.F32, 1,
                        config("rope_scaling", config("rope_type", "llama3", "factor", 8.0, "low_freq_factor", 1.0,
                                "high_freq_factor", 4.0, "original_max_position_embeddings", 32)), false,
                        RopeScaling.Type.LLAMA3, 256)),
                Arguments.of("llama3 as transformers 5 rope_parameters, BF16 in 2 shards",
                        new Case(llama(256, 10000, false), DType.BF16, 2, config("rope_scaling", null, "rope_theta", null,
                                "rope_parameters", config("rope_type", "llama3", "rope_theta", 500000.0, "factor", 8.0,
                                        "low_freq_factor", 1.0, "high_freq_factor", 4.0,
                                        "original_max_position_embeddings", 32)), false,
                                RopeScaling.Type.LLAMA3, 256)),
                Arguments.of("yarn, Qwen2.5 style (type key, default attention factor)", new Case(qwen, DType.F32, 1,
                        config("rope_scaling", config("type", "yarn", "factor", 4.0,
                                "original_max_position_embeddings", 32)), false, RopeScaling.Type.YARN, 128)),
                Arguments.of("yarn, explicit betas and attention_factor, no truncation, F16", new Case(mistral,
                        DType.F16, 1, config("rope_scaling", config("rope_type", "yarn", "factor", 4.0,
                                "original_max_position_embeddings", 32, "beta_fast", 8, "beta_slow", 2,
                                "truncate", false, "attention_factor", 1.25)), false, RopeScaling.Type.YARN, 128)),
                Arguments.of("yarn, DeepSeek style (mscale, factor from max_position_embeddings)",
                        new Case(llama(128, 10000, false), DType.F32, 1, config("rope_scaling", config("rope_type",
                                "yarn", "factor", null, "original_max_position_embeddings", 32, "mscale", 1.0,
                                "mscale_all_dim", 0.5, "beta_fast", 32, "beta_slow", 1)), false,
                                RopeScaling.Type.YARN, 128)),
                Arguments.of("Llama attention_bias (q/k/v/o biases)", new Case(biasedLlama(), DType.F32, 1,
                        config("attention_bias", true), true, RopeScaling.Type.NONE, 128)),
                Arguments.of("Mistral sliding_window 64: context capped there", new Case(
                        new ModelShape(ModelShape.MISTRAL, 64, 96, 2, 4, 2, 16, 300, 256, 10000, 1e-5, false, false),
                        DType.F32, 1, config("sliding_window", 64), false, RopeScaling.Type.NONE, 64)),
                Arguments.of("Qwen2 use_sliding_window in layer 1 of 2 with yarn", new Case(qwen, DType.F32, 1,
                        config("use_sliding_window", true, "sliding_window", 80, "max_window_layers", 1,
                                "rope_scaling", config("rope_type", "yarn", "factor", 4.0)), false,
                        RopeScaling.Type.YARN, 80)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void logitsMatchTheNumpyReference(String name, Case c) throws IOException, InterruptedException {
        Path dir = SyntheticHfFolder.write(tmp.resolve("model"), c.shape(), 5, c.dtype(), c.shards(), c.config(),
                c.outputBias());
        int[] tokens = tokens(Math.min(TOKENS, c.context()), c.shape().vocab());
        float[][] want = NumpyReference.logits(dir, tokens, c.shape().vocab());
        float[][] got;
        try (Engine engine = Engine.open(dir)) {
            assertEquals(c.type(), engine.info().ropeScaling().type(), name + ": rope scaling");
            assertEquals(c.context(), engine.info().contextLength(), name + ": context length");
            assertEquals(c.outputBias(), engine.info().attentionOutputBias(), name + ": o_proj bias");
            got = engine.logits(tokens);
        }
        double worst = 0;
        for (int t = 0; t < tokens.length; t++) {
            for (int v = 0; v < c.shape().vocab(); v++) worst = Math.max(worst, Math.abs(got[t][v] - want[t][v]));
        }
        System.out.printf("%s: max |logit difference| %.2e over %d tokens%n", name, worst, tokens.length);
        assertTrue(worst <= TOLERANCE, name + ": max |logit difference| " + worst);
        // Positions rotate the same whatever the prompt chunking (dynamic scaling included).
        try (Engine chunked = Engine.open(dir, EngineOptions.defaults().withMaxTokensPerStep(7))) {
            float[][] again = chunked.logits(tokens);
            for (int t = 0; t < tokens.length; t++) assertArrayEquals(got[t], again[t], name + ": chunked, row " + t);
        }
    }

    /** An engine file keeps the scaling: the same logits, bit for bit, and the same description. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void engineFilesKeepTheConfig(String name, Case c) throws IOException {
        Path dir = SyntheticHfFolder.write(tmp.resolve("model"), c.shape(), 5, c.dtype(), c.shards(), c.config(),
                c.outputBias());
        Path file = EngineBuilder.from(dir).weights(Precision.FP32).build(tmp.resolve("model.euclid"));
        int[] tokens = tokens(Math.min(TOKENS, c.context()), c.shape().vocab());
        try (Engine folder = Engine.open(dir); Engine built = Engine.open(file)) {
            assertEquals(folder.info(), built.info(), name);
            float[][] want = folder.logits(tokens), got = built.logits(tokens);
            for (int t = 0; t < tokens.length; t++) assertArrayEquals(want[t], got[t], name + ": row " + t);
        }
    }

    private static int[] tokens(int n, int vocab) {
        return new Random(42).ints(n, 0, vocab).toArray();
    }
}
