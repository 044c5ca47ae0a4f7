package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.internal.MatrixStorage;
import dev.euclid.internal.format.GgufReader;
import dev.euclid.synthetic.GgufWriter;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.testing.GgufOracle;
import dev.euclid.testing.GgufTestReader;
import dev.euclid.testing.LlamaQuantize;
import dev.euclid.testing.ReferenceForward;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GGUF files as users download them: one synthetic F16 model quantised by llama.cpp's own
 * llama-quantize to each type, opened by Euclid, against the plain Java forward pass over the
 * weights the {@code gguf} Python package dequantises (the oracle).
 */
class GgufQuantizedFilesTest {
    /** Every matrix row is whole 256-weight super-blocks, so llama-quantize really uses the K types. */
    private static final ModelShape SHAPE =
            new ModelShape(ModelShape.LLAMA, 256, 512, 2, 4, 2, 64, 300, 128, 10000, 1e-5, false, false);
    private static final int[] TOKENS = {1, 17, 42, 99, 250, 7, 123, 5, 64, 200, 31, 8};

    @TempDir static Path dir;
    private static Path f16;
    private static final Map<String, Path> files = new HashMap<>();

    @BeforeAll
    static void writeF16() throws IOException {
        f16 = dir.resolve("f16.gguf");
        GgufWriter.write(f16, new SyntheticModel(SHAPE, 11), GgufWriter.WeightType.F16);
    }

    private static Path quantized(String type) throws IOException, InterruptedException {
        return quantized(type, false);
    }

    private static synchronized Path quantized(String type, boolean pure) throws IOException, InterruptedException {
        String key = type + (pure ? "-pure" : "");
        Path file = files.get(key);
        if (file == null) {
            file = dir.resolve(key + ".gguf");
            LlamaQuantize.quantize(f16, file, type, pure);
            files.put(key, file);
        }
        return file;
    }

    @ParameterizedTest(name = "{0} (pure {1}): {2}")
    @CsvSource({
        "Q4_0, false, Q4_0 Q6_K", "Q4_1, false, Q4_1 Q6_K", "Q5_0, false, Q5_0 Q6_K", "Q5_1, false, Q5_1 Q6_K",
        "Q8_0, false, Q8_0", "Q4_K_M, false, Q4_K Q6_K", "Q5_K_M, false, Q5_K Q6_K", "Q6_K, false, Q6_K",
        "Q2_K, true, Q2_K", "Q3_K_S, true, Q3_K", "IQ4_NL, true, IQ4_NL", "IQ4_XS, true, IQ4_XS",
        "Q2_K, false, Q2_K Q3_K Q6_K", "Q3_K_M, false, Q3_K Q4_K Q5_K Q6_K", "IQ4_XS, false, IQ4_XS Q6_K"})
    void everyTypeDecodesAsTheGgufPackageDoes(String type, boolean pure, String ggmlTypes) throws Exception {
        Path file = quantized(type, pure);
        GgufOracle oracle = GgufOracle.dequantize(file);
        Set<String> matrixTypes = new HashSet<>(oracle.types().values());
        matrixTypes.remove("F32");
        assertEquals(Set.of(ggmlTypes.split(" ")), matrixTypes, type + ": the types llama-quantize wrote");
        float[][] want = reference(oracle).logits(TOKENS);
        try (Engine engine = Engine.open(file, EngineOptions.defaults().withWeights(Precision.FP32))) {
            assertClose(want, engine.logits(TOKENS), 1e-4, type + " as FP32");
        }
    }

    /**
     * Opened without a precision, a quantised file runs in the Euclid format nearest the type that
     * holds most of its weights, as llama.cpp runs it (a Q4_K_M file is mostly Q4_K), not decoded to
     * FP32; a float file opens in FP32. The engine is the one that precision, asked for, gives.
     */
    @ParameterizedTest(name = "{0} opens as {1}")
    @CsvSource({"Q4_0, q4_0", "Q4_1, q4_1", "Q4_K_M, q4_1", "Q5_0, int8", "Q5_K_M, int8", "Q6_K, int8", "Q8_0, int8",
        "Q3_K_M, int8", "IQ4_XS, int8", "F16, fp32"})
    void withoutAPrecisionAFileOpensInItsNearestFormat(String type, String expected) throws Exception {
        Path file = type.equals("F16") ? f16 : quantized(type);
        Precision p = Precision.parse(expected);
        try (Engine byDefault = Engine.open(file); Engine chosen = Engine.open(file, EngineOptions.defaults().withWeights(p))) {
            assertEquals(p, byDefault.weights(), type + ": the engine's precision");
            float[][] a = byDefault.logits(TOKENS), b = chosen.logits(TOKENS);
            for (int t = 0; t < TOKENS.length; t++) assertArrayEquals(b[t], a[t], type + " token " + t);
        }
    }

    /** Engine files too: built without a precision, a Q4_K_M file keeps 4 bits (float checkpoints: FP16). */
    @Test
    void engineFilesBuiltWithoutAPrecisionKeepTheFilesFormat() throws Exception {
        Path fromQ4km = EngineBuilder.from(quantized("Q4_K_M")).threads(1).build(dir.resolve("q4km-default.euclid"));
        Path fromF16 = EngineBuilder.from(f16).threads(1).build(dir.resolve("f16-default.euclid"));
        try (Engine q4 = Engine.open(fromQ4km); Engine f = Engine.open(fromF16)) {
            assertEquals(Precision.Q4_1, q4.weights());
            assertEquals(Precision.FP16, f.weights());
        }
    }

    /**
     * 4-bit engines keep the file's blocks. Pure files (every matrix one type) isolate each path
     * against an exact oracle, so only the summation order differs (1e-4): Q4_0 and Q4_1 blocks
     * copied; Q4_K as Q4_1 with each sub-block's scale and min rounded to FP16, which the oracle
     * applies too (the script counts the sub-blocks it changes: nearly all, since d * scale needs
     * up to 17 bits). In llama.cpp's default mixes, the Q6_K matrices (output.weight always) become
     * INT8 with one scale per row, which the oracle does not model: about 1% of the logit scale here.
     */
    @ParameterizedTest(name = "{0} (pure {1}) under {2} weights")
    @CsvSource({"Q4_0, true, q4_0, 1e-4", "Q4_1, true, q4_1, 1e-4", "Q4_K_M, true, q4_1, 1e-4",
        "Q4_0, false, q4_0, 1e-2", "Q4_K_M, false, q4_1, 2e-2", "Q4_K_M, false, q4_0, 2e-2"})
    void fourBitEnginesKeepTheFilesBlocks(String type, boolean pure, String weights, double tolerance) throws Exception {
        Path file = quantized(type, pure);
        float[][] want = reference(GgufOracle.dequantize(file, true)).logits(TOKENS);
        Precision p = Precision.parse(weights);
        try (Engine engine = Engine.open(file, EngineOptions.defaults().withWeights(p))) {
            assertEquals(p, engine.weights(), "the engine's precision");
            assertClose(want, engine.logits(TOKENS), tolerance, type + " under " + weights);
        }
    }

    /**
     * llama.cpp's Q4_K_M mix puts some layers' attn_v in Q6_K: Q, K and V of one input then come in two
     * formats (q4_1 and INT8), which the products take one kernel each, also with INT8 and BF16
     * activations. Against FP32 activations the logits move by the activations' rounding only: as much
     * as in the pure Q4_K file, whose products all take one kernel (INT8 6.3%, BF16 3.1% of the logit
     * scale here; the mix 6.7% and 3.0%).
     */
    @ParameterizedTest(name = "{0} activations")
    @CsvSource({"INT8, 0.1", "BF16, 5e-2"})
    void mixedFormatsInOneLayerTakeLowPrecisionActivations(Activations activations, double tolerance) throws Exception {
        Path file = quantized("Q4_K_M", false);
        EngineOptions q4 = EngineOptions.defaults().withWeights(Precision.Q4_1);
        try (Engine fp32 = Engine.open(file, q4); Engine low = Engine.open(file, q4.withActivations(activations))) {
            assertClose(fp32.logits(TOKENS), low.logits(TOKENS), tolerance, "Q4_K_M mix with " + activations + " activations");
        }
    }

    /** Euclid's F16 -> Q4_0 conversion rounds as ggml's reference quantizer does: the same blocks, the same logits. */
    @Test
    void euclidsQ4_0ConversionMakesLlamaCppsBlocks() throws Exception {
        EngineOptions q4 = EngineOptions.defaults().withWeights(Precision.Q4_0);
        try (Engine converted = Engine.open(f16, q4); Engine copied = Engine.open(quantized("Q4_0", true), q4)) {
            float[][] a = converted.logits(TOKENS), b = copied.logits(TOKENS);
            for (int t = 0; t < TOKENS.length; t++) assertArrayEquals(b[t], a[t], "token " + t);
        }
    }

    @Test
    void theLogLineSaysWhatEachTypeBecomes() throws Exception {
        String q4km = MatrixStorage.describe(GgufReader.read(quantized("Q4_K_M")), Precision.Q4_1);
        assertTrue(q4km.contains("Q4_K -> q4_1 (sub-block scales rounded to FP16)"), q4km);
        assertTrue(q4km.contains("Q6_K -> int8 (converted)"), q4km);
        String q40 = MatrixStorage.describe(GgufReader.read(quantized("Q4_0")), Precision.Q4_0);
        assertTrue(q40.contains("Q4_0 -> q4_0 (blocks copied)"), q40);
        assertTrue(MatrixStorage.describe(GgufReader.read(quantized("Q4_0")), Precision.FP32)
                .contains("Q4_0 -> fp32 (converted)"));
    }

    /** Engine files store Q4 blocks, and a 4-bit engine's INT8 matrices beside them, as they run. */
    @ParameterizedTest(name = "{0} built as {1}")
    @CsvSource({"Q4_K_M, q4_1", "F16, q4_0", "F16, q4_1"})
    void engineFilesStoreFourBitWeights(String type, String weights) throws Exception {
        Path source = type.equals("F16") ? f16 : quantized(type);
        Precision p = Precision.parse(weights);
        Path built = EngineBuilder.from(source).weights(p).threads(1).build(dir.resolve(type + "-" + weights + ".euclid"));
        try (Engine direct = Engine.open(source, EngineOptions.defaults().withWeights(p)); Engine fromFile = Engine.open(built)) {
            assertEquals(p, fromFile.weights());
            float[][] a = direct.logits(TOKENS), b = fromFile.logits(TOKENS);
            for (int t = 0; t < TOKENS.length; t++) assertArrayEquals(a[t], b[t], type + " " + weights + " token " + t);
        }
        assertTrue(Files.size(built) < Files.size(f16) / 2, "4-bit engine file of " + Files.size(built) + " bytes");
    }

    private static ReferenceForward reference(GgufOracle oracle) {
        return new ReferenceForward(SHAPE, GgufTestReader.hfWeights(oracle.values(), SHAPE),
                ReferenceForward.RopeLayout.INTERLEAVED);
    }

    private static void assertClose(float[][] want, float[][] got, double tolerance, String what) {
        double worst = 0, scale = 1;
        for (int t = 0; t < want.length; t++) {
            for (int v = 0; v < want[t].length; v++) {
                worst = Math.max(worst, Math.abs(got[t][v] - want[t][v]));
                scale = Math.max(scale, Math.abs(want[t][v]));
            }
        }
        System.out.printf("%s: max |logit difference| %.3g (logit scale %.3g)%n", what, worst, scale);
        assertTrue(worst <= tolerance * scale, what + ": max |logit difference| " + worst + " (logit scale " + scale + ")");
    }
}
