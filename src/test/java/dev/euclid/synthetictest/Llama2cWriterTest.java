package dev.euclid.synthetictest;

import dev.euclid.synthetic.HfConfigJson;
import dev.euclid.synthetic.HfTensorLayout;
import dev.euclid.synthetic.Llama2cWriter;
import dev.euclid.synthetic.MapTensorSource;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.Llama2cTestReader;
import dev.euclid.testing.ReferenceForward;
import dev.euclid.testing.ReferenceForward.RopeLayout;
import dev.euclid.testing.SafetensorsTestReader;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cWriterTest {

    @TempDir
    Path tmp;

    private static final ModelShape TINY_TIED = new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 2, 16, 300, 128,
            10000.0, 1e-5, false, true);

    /**
     * The llama2.c file read back with its rows untouched and run with interleaved RoPE must give
     * the HF-layout logits under rotate_half: this is only true if the writer permuted q/k rows
     * exactly right.
     */
    @Test
    void interleavedFileReproducesHfLogits() throws IOException {
        for (ModelShape shape : new ModelShape[] {ModelShape.named("tiny"), TINY_TIED}) {
            SyntheticModel model = new SyntheticModel(shape, 21);
            Path file = tmp.resolve("m.bin");
            long size = Llama2cWriter.write(file, model);
            long expectedFloats = shape.parameterCount() + (long) shape.maxSeq() * shape.headDim();
            assertEquals(28 + 4 * expectedFloats, size);
            assertEquals(size, Files.size(file));

            Llama2cTestReader.Checkpoint ck = Llama2cTestReader.read(file, shape.ropeTheta(), shape.rmsEps());
            assertArrayEquals(new int[] {64, 96, 2, 4, 2, shape.tiedEmbeddings() ? 300 : -300, 128}, ck.header());
            assertEquals(shape, ck.shape());

            int[] tokens = new int[40];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = (i * 53 + 7) % shape.vocab();
            }
            float[][] hf = ReferenceForward.of(model).logits(tokens);
            float[][] l2c = new ReferenceForward(shape, ck.weights(), RopeLayout.INTERLEAVED).logits(tokens);
            float[][] wrongRope = new ReferenceForward(shape, ck.weights(), RopeLayout.ROTATE_HALF).logits(tokens);
            assertTrue(maxDiff(hf, l2c) < 1e-5, "max diff " + maxDiff(hf, l2c));
            assertTrue(maxDiff(hf, wrongRope) > 1e-2, "the permutation must matter: " + maxDiff(hf, wrongRope));

            // Unpermuted tensors are copied verbatim.
            for (String name : new String[] {"model.embed_tokens.weight", "model.layers.1.self_attn.v_proj.weight",
                    "model.layers.0.mlp.down_proj.weight", "model.norm.weight"}) {
                assertArrayEquals(model.generate(name), ck.weights().get(name), name);
            }
            // RoPE tables as run.c's legacy exporter defines them.
            int half = shape.headDim() / 2;
            for (int pos : new int[] {0, 1, 77, 127}) {
                for (int j = 0; j < half; j++) {
                    double angle = pos * Math.pow(shape.ropeTheta(), -2.0 * j / shape.headDim());
                    assertEquals(Math.cos(angle), ck.freqCisReal()[pos * half + j], 1e-6);
                    assertEquals(Math.sin(angle), ck.freqCisImag()[pos * half + j], 1e-6);
                }
            }
        }
    }

    @Test
    void rowPermutationIsTheDocumentedOne() throws IOException {
        SyntheticModel model = SyntheticModel.of("tiny", 4);
        Path file = tmp.resolve("p.bin");
        Llama2cWriter.write(file, model);
        Llama2cTestReader.Checkpoint ck = Llama2cTestReader.read(file, 1e4, 1e-5);
        int hd = 16;
        int dim = 64;
        for (char proj : new char[] {'q', 'k'}) {
            String name = HfTensorLayout.attnWeight(1, proj);
            float[] hfW = model.generate(name);
            float[] l2c = ck.weights().get(name);
            int heads = proj == 'q' ? 4 : 2;
            for (int h = 0; h < heads; h++) {
                for (int j = 0; j < hd / 2; j++) {
                    assertArrayEquals(row(hfW, h * hd + j, dim), row(l2c, h * hd + 2 * j, dim));
                    assertArrayEquals(row(hfW, h * hd + hd / 2 + j, dim), row(l2c, h * hd + 2 * j + 1, dim));
                }
            }
        }
    }

    @Test
    void refusesShapesLlama2cCannotRepresent() {
        assertThrows(IllegalArgumentException.class,
                () -> Llama2cWriter.write(tmp.resolve("q.bin"), SyntheticModel.of("tiny-qwen", 1)));
        ModelShape wideHeads = new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 2, 32, 300, 128, 1e4, 1e-5, false, false);
        assertThrows(IllegalArgumentException.class,
                () -> Llama2cWriter.write(tmp.resolve("w.bin"), new SyntheticModel(wideHeads, 1)));
        ModelShape biasedLlama = new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 2, 16, 300, 128, 1e4, 1e-5, true, false);
        assertThrows(IllegalArgumentException.class,
                () -> Llama2cWriter.write(tmp.resolve("b.bin"), new SyntheticModel(biasedLlama, 1)));
    }

    /** Re-exporting the HF stories260K must give back the original llama2.c weights bit for bit. */
    @Test
    void reExportsStories260KExactly() throws IOException {
        Path models = SharedModels.models();
        Path hfDir = models.resolve("stories260K-hf");
        ModelShape shape = HfConfigJson.toShape(SafetensorsTestReader.readConfig(hfDir));
        Map<String, float[]> weights = SafetensorsTestReader.readFolder(hfDir);
        Path out = tmp.resolve("stories260K.bin");
        Llama2cWriter.write(out, shape, MapTensorSource.of(shape, weights));

        byte[] original = Files.readAllBytes(models.resolve("stories260K/stories260K.bin"));
        byte[] written = Files.readAllBytes(out);
        assertEquals(original.length, written.length);
        long weightBytes = 28 + 4 * shape.parameterCount(); // everything before freq_cis (tied: no wcls)
        assertTrue(Arrays.equals(original, 0, (int) weightBytes, written, 0, (int) weightBytes),
                "header and weights must be identical");
        // The freq_cis tables were computed by PyTorch in float32; ours in double, rounded once.
        Llama2cTestReader.Checkpoint a = Llama2cTestReader.read(models.resolve("stories260K/stories260K.bin"), 1e4, 1e-5);
        Llama2cTestReader.Checkpoint b = Llama2cTestReader.read(out, 1e4, 1e-5);
        for (int i = 0; i < a.freqCisReal().length; i++) {
            assertEquals(a.freqCisReal()[i], b.freqCisReal()[i], 1e-4);
            assertEquals(a.freqCisImag()[i], b.freqCisImag()[i], 1e-4);
        }
    }

    private static float[] row(float[] m, int r, int cols) {
        return Arrays.copyOfRange(m, r * cols, (r + 1) * cols);
    }

    private static double maxDiff(float[][] a, float[][] b) {
        double max = 0;
        for (int t = 0; t < a.length; t++) {
            for (int v = 0; v < a[t].length; v++) {
                max = Math.max(max, Math.abs(a[t][v] - b[t][v]));
            }
        }
        return max;
    }
}
