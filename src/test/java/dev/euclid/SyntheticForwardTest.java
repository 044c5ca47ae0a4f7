package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.Llama2cWriter;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.testing.Llama2cTestReader;
import dev.euclid.testing.Llama2cTokenizerFile;
import dev.euclid.testing.ReferenceForward;
import dev.euclid.testing.SafetensorsTestReader;
import dev.euclid.synthetic.SyntheticTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native engine against an independent, straightforward Java forward pass, on random models
 * that cover what the trained model does not: GQA ratios, multi-head attention, QKV bias, untied
 * heads, head_dim != dim / heads, both RoPE layouts, F16/BF16 and sharded checkpoints.
 */
class SyntheticForwardTest {
    private static final int[] PROMPT = {1, 17, 42, 99, 250, 7};
    private static final int NEW_TOKENS = 24;

    enum Format { HF_F32, HF_F16_SHARDED, HF_BF16, LLAMA2C }

    @TempDir Path tmp;

    static Stream<Arguments> cases() {
        ModelShape mha = new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 4, 16, 300, 128, 10000, 1e-5, false, false);
        ModelShape gqa4 = new ModelShape(ModelShape.LLAMA, 128, 160, 2, 8, 2, 16, 300, 128, 10000, 1e-5, false, true);
        ModelShape wideHeads = new ModelShape(ModelShape.MISTRAL, 64, 96, 2, 4, 2, 24, 300, 128, 1e6, 1e-6, false, true);
        return Stream.of(
                Arguments.of("tiny (GQA 2, untied)", ModelShape.named("tiny"), Format.HF_F32),
                Arguments.of("tiny-qwen (QKV bias, tied, 1 KV head)", ModelShape.named("tiny-qwen"), Format.HF_F32),
                Arguments.of("multi-head attention", mha, Format.HF_F32),
                Arguments.of("GQA 4, tied", gqa4, Format.HF_F32),
                Arguments.of("Mistral, head_dim 24 != dim/heads", wideHeads, Format.HF_F32),
                Arguments.of("tiny-qwen as F16, 3 shards", ModelShape.named("tiny-qwen"), Format.HF_F16_SHARDED),
                Arguments.of("tiny as BF16", ModelShape.named("tiny"), Format.HF_BF16),
                Arguments.of("tiny as llama2.c (interleaved RoPE)", ModelShape.named("tiny"), Format.LLAMA2C),
                Arguments.of("MHA as llama2.c (interleaved RoPE)", mha, Format.LLAMA2C));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nativeEngineMatchesTheJavaReference(String name, ModelShape shape, Format format) throws IOException {
        SyntheticModel model = new SyntheticModel(shape, 7);
        Path path;
        ReferenceForward reference;
        EngineOptions options = EngineOptions.defaults().withMaxTokensPerStep(4);
        switch (format) {
            case LLAMA2C -> {
                path = tmp.resolve("model.bin");
                Llama2cWriter.write(path, model);
                options = options.withTokenizer(Llama2cTokenizerFile.write(tmp.resolve("tok.bin"), shape.vocab()));
                Llama2cTestReader.Checkpoint c = Llama2cTestReader.read(path, shape.ropeTheta(), shape.rmsEps());
                reference = new ReferenceForward(c.shape(), c.weights(), ReferenceForward.RopeLayout.INTERLEAVED);
            }
            default -> {
                path = tmp.resolve("hf");
                DType dtype = format == Format.HF_F16_SHARDED ? DType.F16 : format == Format.HF_BF16 ? DType.BF16 : DType.F32;
                HfFolderWriter.write(path, model, dtype, format == Format.HF_F16_SHARDED ? 3 : 1,
                        SyntheticTokenizer.byteLevelJson(shape.vocab()));
                // The reference reads the weights back, so it sees exactly the rounded values the engine sees.
                reference = new ReferenceForward(shape, SafetensorsTestReader.readFolder(path),
                        ReferenceForward.RopeLayout.ROTATE_HALF);
            }
        }
        int[] expected = reference.greedy(PROMPT, NEW_TOKENS);
        try (Engine engine = Engine.open(path, options)) {
            Completion c = engine.generate(Request.builder().promptTokens(PROMPT).maxTokens(NEW_TOKENS).stopTokenIds().build());
            assertArrayEquals(expected, c.tokenIds(), name + ": greedy ids");

            int[] all = Arrays.copyOf(PROMPT, PROMPT.length + NEW_TOKENS - 1);
            System.arraycopy(expected, 0, all, PROMPT.length, NEW_TOKENS - 1);
            float[][] got = engine.logits(all);
            float[][] want = reference.logits(all);
            double worst = 0, scale = 1;
            for (int t = 0; t < all.length; t++) {
                for (int v = 0; v < shape.vocab(); v++) {
                    worst = Math.max(worst, Math.abs(got[t][v] - want[t][v]));
                    scale = Math.max(scale, Math.abs(want[t][v]));
                }
            }
            assertTrue(worst <= 1e-4 * scale, name + ": max |logit difference| " + worst + " (logit scale " + scale + ")");
        }
    }
}
