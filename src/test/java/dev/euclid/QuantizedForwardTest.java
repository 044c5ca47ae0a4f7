package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.internal.NativeApi;
import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HalfFloats;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.HfTensorLayout;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.testing.NumpyReference;
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
 * precision stores (re-derived from the format's rounding rules: in Java, or by the numpy oracle for
 * the block-scaled formats), on a shape whose widths (72, 100) are not multiples of any SIMD
 * width, so the tail paths run too; and with INT8 activations.
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
    @ValueSource(strings = {"fp32", "bf16", "fp16", "fp8", "int8", "nvfp4", "mxfp4", "mxfp8"})
    void logitsMatchTheReferenceOnTheStoredWeights(String precision) throws Exception {
        check(SHAPE, model, folder, precision);
    }

    /**
     * The 4-bit formats on a shape whose rows are whole 32-weight blocks (96 and 160 wide: 3 and
     * 5 blocks), with row counts (300, 96, 32, 160) that leave row tails; at 72 and 100 wide every
     * matrix would fall back to INT8.
     */
    @ParameterizedTest
    @ValueSource(strings = {"q4_0", "q4_1"})
    void fourBitLogitsMatchTheReferenceOnTheStoredWeights(String precision) throws Exception {
        ModelShape shape = new ModelShape(ModelShape.QWEN2, 96, 160, 2, 6, 2, 16, 300, 64, 10000, 1e-6, true, false);
        SyntheticModel q4Model = new SyntheticModel(shape, 11);
        Path q4Folder = tmp.resolve("hf-q4-" + precision);
        HfFolderWriter.write(q4Folder, q4Model, DType.F32, 1, SyntheticTokenizer.byteLevelJson(shape.vocab()));
        check(shape, q4Model, q4Folder, precision);
    }

    /**
     * INT8 activations: the int8 kernels (INT8, Q4_0, Q4_1, FP8, NVFP4, MXFP4 weights; FP8 only where the
     * CPU has AVX2 or AVX-512, with its weights as int8 blocks, else the dequantised activations in FP32) against the reference that quantises every product's input the same way. They agree to about
     * 1e-6 unless an activation sits within rounding of a quantisation boundary (the engine sums in
     * FP32, the reference in FP64) and rounds the other way, which moves later logits by up to a few
     * hundredths; so the bounds are relative to what quantising the activations changes: at most
     * half its largest logit change and a fifth of its mean change, which an engine computing with
     * FP32 activations fails.
     */
    @ParameterizedTest
    @ValueSource(strings = {"int8", "fp8", "q4_0", "q4_1", "nvfp4", "mxfp4"})
    void int8ActivationLogitsMatchTheReferenceQuantisingTheSameWay(String precision) throws Exception {
        ModelShape shape = SHAPE;
        SyntheticModel m = model;
        Path f = folder;
        if (precision.startsWith("q4")) {
            shape = new ModelShape(ModelShape.QWEN2, 96, 160, 2, 6, 2, 16, 300, 64, 10000, 1e-6, true, false);
            m = new SyntheticModel(shape, 11);
            f = tmp.resolve("hf-int8-activations-" + precision);
            HfFolderWriter.write(f, m, DType.F32, 1, SyntheticTokenizer.byteLevelJson(shape.vocab()));
        }
        check(shape, m, f, precision, Activations.INT8);
    }

    /**
     * BF16 activations: the BF16 kernel (BF16, FP8, MXFP8 and FP16 weights, where the CPU has AVX-512 BF16;
     * the rounded activations through the FP32 kernels elsewhere) against the reference that rounds
     * every product's input the same way, and FP16 weights to BF16 where the kernel does, with bounds
     * relative to what the rounding changes as for INT8.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bf16", "fp8", "mxfp8", "fp16"})
    void bf16ActivationLogitsMatchTheReferenceRoundingTheSameWay(String precision) throws Exception {
        check(SHAPE, model, folder, precision, Activations.BF16);
    }

    private static void check(ModelShape shape, SyntheticModel model, Path folder, String precision) throws Exception {
        check(shape, model, folder, precision, Activations.FP32);
    }

    /**
     * Engine logits against the reference on the precision's stored weights (FP32 activations: within
     * 2e-4; INT8 and BF16: see above), bit-identical over thread counts and step sizes.
     */
    private static void check(ModelShape shape, SyntheticModel model, Path folder, String precision,
            Activations activations) throws Exception {
        Map<String, float[]> weights = new HashMap<>(model.materialize());
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            int[] dims = model.spec(e.getKey()).shape();
            if (dims.length == 2) e.setValue(stored(e.getKey(), e.getValue(), dims[0], dims[1], precision));
            // Where FP8's int8 kernel runs, its products take the weights as int8 blocks (the embedding is a lookup).
            if (dims.length == 2 && precision.equals("fp8") && activations == Activations.INT8
                    && NativeApi.activations_kernel(Precision.FP8.code(), Activations.INT8.code()) != 0
                    && !e.getKey().equals(HfTensorLayout.EMBED)) {
                e.setValue(WeightQuantizer.fp8AsInt8Blocks(model.materialize().get(e.getKey()), dims[0], dims[1]));
            }
            // The BF16 kernel rounds FP16 weights to BF16 in every product (the embedding is a lookup).
            if (dims.length == 2 && precision.equals("fp16") && activations == Activations.BF16 && bf16KernelRuns()
                    && !e.getKey().equals(HfTensorLayout.EMBED)) {
                float[] w = e.getValue().clone();
                for (int i = 0; i < w.length; i++) w[i] = HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(w[i]));
                e.setValue(w);
            }
        }
        ReferenceForward plain = new ReferenceForward(shape, weights, ReferenceForward.RopeLayout.ROTATE_HALF);
        ReferenceForward reference = plain.withActivations(activations);
        float[][] want = reference.logits(TOKENS);
        double worstBound = 2e-4, meanBound = Double.MAX_VALUE;
        if (activations != Activations.FP32) {
            float[][] unquantised = plain.logits(TOKENS);
            double effect = worstDifference(unquantised, want);
            double visible = activations == Activations.INT8 ? 2e-2 : 1e-3;
            assertTrue(effect > visible, precision + ": quantising the activations moved the reference's logits by only " + effect);
            worstBound = effect / 2;
            meanBound = meanDifference(unquantised, want) / 5;
        }
        for (int threads : new int[] {1, 2}) {
            for (int chunk : new int[] {1, 5, 64}) {
                EngineOptions options = EngineOptions.defaults().withWeights(Precision.parse(precision))
                        .withThreads(threads).withMaxTokensPerStep(chunk).withActivations(activations);
                try (Engine engine = Engine.open(folder, options)) {
                    float[][] got = engine.logits(TOKENS);
                    double worst = worstDifference(got, want), mean = meanDifference(got, want);
                    String what = precision + ", " + activations.wireName() + " activations: ";
                    assertTrue(worst < worstBound, what + "max |logit difference| " + worst + ", bound " + worstBound);
                    assertTrue(mean < meanBound, what + "mean |logit difference| " + mean + ", bound " + meanBound);
                    if (threads == 1 && chunk == 1) continue;
                    try (Engine single = Engine.open(folder, options.withThreads(1).withMaxTokensPerStep(1))) {
                        float[][] base = single.logits(TOKENS);
                        for (int t = 0; t < TOKENS.length; t++) {
                            assertArrayEquals(base[t], got[t], 0f, what + "bit-identical for threads " + threads
                                    + ", chunk " + chunk + ", row " + t);
                        }
                    }
                }
            }
        }
    }

    /** Whether this run's kernels multiply BF16 activations with vdpbf16ps (the AVX-512 table on a BF16 CPU). */
    private static boolean bf16KernelRuns() {
        return NativeApi.kernel_isa().equals("avx512")
                && Diagnostics.arithmeticPeakIsa(Diagnostics.Arithmetic.BF16_DOT).equals("avx512_bf16");
    }

    private static double meanDifference(float[][] a, float[][] b) {
        double sum = 0;
        long n = 0;
        for (int t = 0; t < a.length; t++) {
            for (int v = 0; v < a[t].length; v++, n++) sum += Math.abs(a[t][v] - b[t][v]);
        }
        return sum / n;
    }

    private static double worstDifference(float[][] a, float[][] b) {
        double worst = 0;
        for (int t = 0; t < a.length; t++) {
            for (int v = 0; v < a[t].length; v++) worst = Math.max(worst, Math.abs(a[t][v] - b[t][v]));
        }
        return worst;
    }

    /**
     * A matrix as the engine stores it: the block-scaled formats by the numpy oracle, except that
     * with 4-bit weights the embedding and LM head stay INT8.
     */
    private static float[] stored(String name, float[] w, int rows, int cols, String precision) throws Exception {
        boolean end = name.equals(HfTensorLayout.EMBED) || name.equals(HfTensorLayout.LM_HEAD);
        if (end && (precision.equals("nvfp4") || precision.equals("mxfp4"))) return WeightQuantizer.roundTrip(w, rows, cols, "int8");
        if (precision.equals("nvfp4") || precision.startsWith("mx")) return NumpyReference.mxRoundTrip(w, rows, cols, precision);
        return WeightQuantizer.roundTrip(w, rows, cols, precision);
    }
}
