package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.GgufWriter;
import dev.euclid.synthetic.HalfFloats;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.synthetic.TensorSource;
import dev.euclid.synthetic.TensorSpec;
import dev.euclid.testing.GgufTestReader;
import dev.euclid.testing.ReferenceForward;
import dev.euclid.synthetic.SyntheticTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Synthetic models written by {@link GgufWriter} and run by the engine, against (a) the same
 * weights as an HF F16 folder, which checks the q/k permutation and names end to end, and (b) a
 * plain Java forward pass over the weights decoded from the GGUF, which checks Q8_0.
 */
class GgufSyntheticTest {
    private static final int[] PROMPT = {1, 17, 42, 99, 250, 7};
    private static final int NEW_TOKENS = 24;

    @TempDir Path tmp;

    static Stream<Arguments> cases() {
        // ffn 80 is not a whole number of Q8_0 blocks: ffn_down falls back to F16, as in llama.cpp.
        ModelShape oddFfn = new ModelShape(ModelShape.LLAMA, 64, 80, 2, 4, 2, 16, 300, 128, 10000, 1e-5, false, false);
        ModelShape llamaBias = new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 2, 16, 300, 128, 10000, 1e-5, true, false);
        return Stream.of(
                Arguments.of("llama, GQA 2, untied, F16", ModelShape.named("tiny"), GgufWriter.WeightType.F16, true),
                Arguments.of("qwen2, bias, tied, F16", ModelShape.named("tiny-qwen"), GgufWriter.WeightType.F16, true),
                Arguments.of("llama, Q8_0 + F16 fallback", oddFfn, GgufWriter.WeightType.Q8_0, false),
                Arguments.of("qwen2, Q8_0", ModelShape.named("tiny-qwen"), GgufWriter.WeightType.Q8_0, false),
                Arguments.of("llama with q/k/v bias, F16", llamaBias, GgufWriter.WeightType.F16, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ggufMatchesHfAndTheJavaReference(String name, ModelShape shape, GgufWriter.WeightType type, boolean compareHf)
            throws IOException {
        SyntheticModel model = new SyntheticModel(shape, 11);
        Path gguf = tmp.resolve("model.gguf");
        // The HF F16 folder rounds norms and biases to F16 too; GGUF keeps them F32, so give both the same values.
        GgufWriter.write(gguf, shape, compareHf ? roundedToF16(model) : model, type);
        boolean qwen = shape.architecture().equals(ModelShape.QWEN2);
        ReferenceForward reference = new ReferenceForward(shape, GgufTestReader.hfWeights(gguf, shape),
                qwen ? ReferenceForward.RopeLayout.ROTATE_HALF : ReferenceForward.RopeLayout.INTERLEAVED);
        int[] expected = reference.greedy(PROMPT, NEW_TOKENS);
        int[] all = Arrays.copyOf(PROMPT, PROMPT.length + NEW_TOKENS - 1);
        System.arraycopy(expected, 0, all, PROMPT.length, NEW_TOKENS - 1);
        // FP32 whatever the file holds: this compares the file's values, not a conversion of them.
        try (Engine engine = Engine.open(gguf, EngineOptions.defaults().withWeights(Precision.FP32))) {
            assertEquals("gguf:" + (qwen ? "qwen2" : "llama"), engine.info().architecture());
            assertArrayEquals(new int[] {shape.vocab() - 1}, engine.defaultStopTokenIds(), name + ": EOS");
            assertArrayEquals(expected, greedy(engine), name + ": greedy ids vs the Java reference");
            assertClose(reference.logits(all), engine.logits(all), name + " vs the Java reference");
            if (compareHf) {
                Path hf = tmp.resolve("hf");
                HfFolderWriter.write(hf, model, DType.F16, 1, SyntheticTokenizer.byteLevelJson(shape.vocab()));
                try (Engine hfEngine = Engine.open(hf)) {
                    assertArrayEquals(greedy(hfEngine), greedy(engine), name + ": greedy ids vs HF F16");
                    assertClose(hfEngine.logits(all), engine.logits(all), name + " vs HF F16");
                    String text = "Hello world, tokenizers: 123 + 4567!";
                    assertArrayEquals(hfEngine.tokenizer().encode(text), engine.tokenizer().encode(text), name + ": tokens");
                }
            }
        }
    }

    private static TensorSource roundedToF16(SyntheticModel model) {
        return new TensorSource() {
            @Override
            public List<TensorSpec> tensors() {
                return model.tensors();
            }

            @Override
            public float[] data(String name) {
                float[] all = model.data(name);
                read(name, 0, all, all.length);
                return all;
            }

            @Override
            public void read(String name, long offset, float[] dst, int length) {
                model.read(name, offset, dst, length);
                for (int i = 0; i < length; i++) dst[i] = HalfFloats.f16ToFloat(HalfFloats.floatToF16(dst[i]));
            }
        };
    }

    private static int[] greedy(Engine engine) {
        return engine.generate(Request.builder().promptTokens(PROMPT).maxTokens(NEW_TOKENS).stopTokenIds().build())
                .tokenIds();
    }

    private static void assertClose(float[][] want, float[][] got, String what) {
        double worst = 0, scale = 1;
        for (int t = 0; t < want.length; t++) {
            for (int v = 0; v < want[t].length; v++) {
                worst = Math.max(worst, Math.abs(got[t][v] - want[t][v]));
                scale = Math.max(scale, Math.abs(want[t][v]));
            }
        }
        assertTrue(worst <= 1e-4 * scale, what + ": max |logit difference| " + worst + " (logit scale " + scale + ")");
    }
}
