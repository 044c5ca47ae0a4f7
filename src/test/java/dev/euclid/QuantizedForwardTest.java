package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.testing.ReferenceForward;
import dev.euclid.testing.WeightQuantizer;
import dev.euclid.synthetic.SyntheticTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every weight precision's kernels against the Java reference run on exactly the weights the
 * precision stores (re-derived in Java from the format's rounding rules), on a shape whose widths
 * (72, 100) are not multiples of any SIMD width, so the tail paths run too.
 */
class QuantizedForwardTest {
    private static final int[] TOKENS = {1, 17, 42, 99, 250, 7, 64, 3, 128, 200, 11, 5};
    private static final ModelShape SHAPE =
            new ModelShape(ModelShape.QWEN2, 72, 100, 2, 6, 2, 12, 300, 64, 10000, 1e-6, true, false);

    @TempDir static Path tmp;
    private static SyntheticModel model;
    private static Path folder;

    @BeforeAll
    static void writeModel() throws IOException {
        model = new SyntheticModel(SHAPE, 11);
        folder = tmp.resolve("hf");
        HfFolderWriter.write(folder, model, DType.F32, 1, SyntheticTokenizer.byteLevelJson(SHAPE.vocab()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "bf16", "fp16", "fp8", "int8"})
    void logitsMatchTheReferenceOnTheStoredWeights(String precision) {
        check(SHAPE, model, folder, precision);
    }

    /**
     * The 4-bit formats on a shape whose rows are whole 32-weight blocks (96 and 160 wide: 3 and
     * 5 blocks), with row counts (300, 96, 32, 160) that leave row tails; at 72 and 100 wide every
     * matrix would fall back to INT8.
     */
    @ParameterizedTest
    @ValueSource(strings = {"q4_0", "q4_1"})
    void fourBitLogitsMatchTheReferenceOnTheStoredWeights(String precision) throws IOException {
        ModelShape shape = new ModelShape(ModelShape.QWEN2, 96, 160, 2, 6, 2, 16, 300, 64, 10000, 1e-6, true, false);
        SyntheticModel q4Model = new SyntheticModel(shape, 11);
        Path q4Folder = tmp.resolve("hf-q4-" + precision);
        HfFolderWriter.write(q4Folder, q4Model, DType.F32, 1, SyntheticTokenizer.byteLevelJson(shape.vocab()));
        check(shape, q4Model, q4Folder, precision);
    }

    private static void check(ModelShape shape, SyntheticModel model, Path folder, String precision) {
        Map<String, float[]> weights = new HashMap<>(model.materialize());
        weights.replaceAll((name, w) -> {
            int[] dims = model.spec(name).shape();
            return dims.length == 2 ? WeightQuantizer.roundTrip(w, dims[0], dims[1], precision) : w;
        });
        ReferenceForward reference = new ReferenceForward(shape, weights, ReferenceForward.RopeLayout.ROTATE_HALF);
        float[][] want = reference.logits(TOKENS);
        for (int threads : new int[] {1, 2}) {
            for (int chunk : new int[] {1, 5, 64}) {
                EngineOptions options = EngineOptions.defaults().withWeights(Precision.parse(precision))
                        .withThreads(threads).withMaxTokensPerStep(chunk);
                try (Engine engine = Engine.open(folder, options)) {
                    float[][] got = engine.logits(TOKENS);
                    double worst = 0;
                    for (int t = 0; t < TOKENS.length; t++) {
                        for (int v = 0; v < shape.vocab(); v++) worst = Math.max(worst, Math.abs(got[t][v] - want[t][v]));
                    }
                    assertTrue(worst < 2e-4, precision + ": max |logit difference| " + worst);
                    if (threads == 1 && chunk == 1) continue;
                    try (Engine single = Engine.open(folder, options.withThreads(1).withMaxTokensPerStep(1))) {
                        float[][] base = single.logits(TOKENS);
                        for (int t = 0; t < TOKENS.length; t++) {
                            assertArrayEquals(base[t], got[t], 0f, precision + ": bit-identical for threads " + threads
                                    + ", chunk " + chunk + ", row " + t);
                        }
                    }
                }
            }
        }
    }
}
