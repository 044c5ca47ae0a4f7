package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.euclid.EngineOptions;
import dev.euclid.Precision;
import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.HfFolderWriter;
import dev.euclid.synthetic.HfTensorLayout;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import dev.euclid.synthetic.SyntheticTokenizer;
import dev.euclid.synthetic.TensorSource;
import dev.euclid.synthetic.TensorSpec;
import dev.euclid.testing.NumpyReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's NVFP4, MXFP4 and MXFP8 encoders: hand-computed blocks, and every weight of a random
 * matrix (the first layer's gate projection, 100 x 72: a partial last block in every format)
 * against the numpy oracle {@code src/test/python/mx_quantize.py}, value for value. With 4-bit
 * weights the embedding and LM head stay INT8, which the last test checks.
 */
class MxFormatsTest {
    private static final ModelShape SHAPE =
            new ModelShape(ModelShape.QWEN2, 72, 100, 1, 6, 2, 12, 300, 64, 10000, 1e-6, true, false);
    private static final String GATE = HfTensorLayout.mlp(0, "gate");
    /**
     * Row 0 of the gate projection. 2688 = 448 x 6 is the matrix's largest magnitude, so NVFP4's tensor
     * scale is exactly 1; the other values sit on rounding ties or near them.
     */
    private static final float[] HAND_ROW = row(new float[] {2688, 112, 448, 1120, 2240, -784, 44.8f}, 16,
            new float[] {10, 3.5f, 1});

    @TempDir static Path tmp;
    private static Path folder;
    private static float[] gate;

    @BeforeAll
    static void writeModel() throws IOException {
        SyntheticModel model = new SyntheticModel(SHAPE, 5);
        gate = model.data(GATE).clone();
        System.arraycopy(HAND_ROW, 0, gate, 0, HAND_ROW.length);
        TensorSource source = new TensorSource() {
            public List<TensorSpec> tensors() {
                return model.tensors();
            }

            public float[] data(String name) {
                return name.equals(GATE) ? gate : model.data(name);
            }
        };
        folder = tmp.resolve("hf");
        HfFolderWriter.write(folder, source, model.hfConfig(DType.F32), DType.F32, 1,
                SyntheticTokenizer.byteLevelJson(SHAPE.vocab()));
    }

    private static float[] stored(Precision p, String name, long n) {
        try (NativeModel m = ModelLoader.open(folder, EngineOptions.defaults().withThreads(1).withWeights(p)).model()) {
            return m.tensorF32(name, n);
        }
    }

    private static float[] stored(Precision p) {
        return stored(p, "layers.0.w1", (long) SHAPE.ffn() * SHAPE.dim());
    }

    @Test
    void nvfp4HandComputed() {
        float[] got = Arrays.copyOf(stored(Precision.NVFP4), SHAPE.dim());
        // Block 0: absmax 2688 -> E4M3 scale 448, values / 448 = 6, 0.25, 1, 2.5, 5, -1.75, 0.1; the
        // ties 0.25, 2.5, 5 and 1.75 go to the even codes 0, 2, 4 and 2.
        // Block 1: 10 / 6 = 1.667 -> the E4M3 scale is rounded up to 1.75 (1.625 would let 10 overflow 6);
        // 10 / 1.75 = 5.71 -> 6, 3.5 / 1.75 = 2, 1 / 1.75 = 0.57 -> 0.5.
        assertArrayEquals(row(new float[] {2688, 0, 448, 896, 1792, -896, 0}, 16, new float[] {10.5f, 3.5f, 0.875f}), got);
    }

    @Test
    void mxfp4HandComputed() {
        float[] got = Arrays.copyOf(stored(Precision.MXFP4), SHAPE.dim());
        // One 32-block: absmax 2688 needs 2^X >= 2688 / 6 = 448 -> 512; values / 512 = 5.25, 0.22, 0.875,
        // 2.19, 4.375, -1.53, ... round to 6, 0, 1, 2, 4, -1.5; 10, 3.5 and 1 round to 0.
        assertArrayEquals(row(new float[] {3072, 0, 512, 1024, 2048, -768, 0}, 16, new float[] {0, 0, 0}), got);
    }

    @Test
    void mxfp8HandComputed() {
        float[] got = Arrays.copyOf(stored(Precision.MXFP8), SHAPE.dim());
        // 2^X >= 2688 / 448 = 6 -> 8; values / 8 = 336 (a tie of 320 and 352: the even mantissa, 320),
        // 14, 56, 140 (-> 144), 280 (-> 288), -98 (-> -96), 5.6 (-> 5.5); 1.25, 0.4375 and 0.125 exact.
        assertArrayEquals(row(new float[] {2560, 112, 448, 1152, 2304, -768, 44}, 16, new float[] {10, 3.5f, 1}), got);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nvfp4", "mxfp4", "mxfp8"})
    void everyWeightIsTheOraclesValue(String format) throws Exception {
        float[] want = NumpyReference.mxRoundTrip(gate, SHAPE.ffn(), SHAPE.dim(), format);
        float[] got = stored(Precision.parse(format));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 0f, format + ": weight " + i + " (row " + i / SHAPE.dim() + ") of "
                    + gate[i]);
        }
    }

    @Test
    void fourBitFormatsKeepTheEmbeddingInInt8() {
        long n = (long) SHAPE.vocab() * SHAPE.dim();
        float[] int8 = stored(Precision.INT8, "tok_embeddings", n);
        assertArrayEquals(int8, stored(Precision.NVFP4, "tok_embeddings", n));
        assertArrayEquals(int8, stored(Precision.MXFP4, "tok_embeddings", n));
        float[] mxfp8 = stored(Precision.MXFP8, "tok_embeddings", n);
        assertEquals(false, Arrays.equals(int8, mxfp8), "MXFP8 stores the embedding in MXFP8");
    }

    /** A 72-wide row: `first` at 0, `later` at `at`, zeros elsewhere. */
    private static float[] row(float[] first, int at, float[] later) {
        float[] r = new float[SHAPE.dim()];
        System.arraycopy(first, 0, r, 0, first.length);
        System.arraycopy(later, 0, r, at, later.length);
        return r;
    }
}
