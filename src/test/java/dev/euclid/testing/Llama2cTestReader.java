package dev.euclid.testing;

import dev.euclid.synthetic.HfTensorLayout;
import dev.euclid.synthetic.ModelShape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a legacy llama2.c checkpoint into HF tensor names WITHOUT undoing the RoPE permutation:
 * q/k rows stay in llama2.c's interleaved order, so a forward pass over these weights must use
 * {@link ReferenceForward.RopeLayout#INTERLEAVED}. That is exactly what makes it a check of the
 * writer's permutation.
 */
public final class Llama2cTestReader {

    /** Parsed checkpoint; freq tables are (seq_len, head_size/2) row-major. */
    public record Checkpoint(ModelShape shape, Map<String, float[]> weights, float[] freqCisReal,
            float[] freqCisImag, int[] header) {
    }

    private Llama2cTestReader() {
    }

    /** theta and eps are not stored in the file; pass the values the model was built with. */
    public static Checkpoint read(Path file, double ropeTheta, double rmsEps) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int[] h = new int[7];
        for (int i = 0; i < 7; i++) {
            h[i] = bb.getInt();
        }
        int dim = h[0];
        int ffn = h[1];
        int layers = h[2];
        int heads = h[3];
        int kvHeads = h[4];
        boolean tied = h[5] > 0;
        int vocab = Math.abs(h[5]);
        int seq = h[6];
        int hd = dim / heads;
        ModelShape shape = new ModelShape(ModelShape.LLAMA, dim, ffn, layers, heads, kvHeads, hd, vocab, seq,
                ropeTheta, rmsEps, false, tied);
        int kvDim = kvHeads * hd;

        Map<String, float[]> w = new LinkedHashMap<>();
        w.put(HfTensorLayout.EMBED, floats(bb, vocab * dim));
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.inputNorm(i), floats(bb, dim));
        }
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.attnWeight(i, 'q'), floats(bb, dim * dim));
        }
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.attnWeight(i, 'k'), floats(bb, kvDim * dim));
        }
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.attnWeight(i, 'v'), floats(bb, kvDim * dim));
        }
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.attnWeight(i, 'o'), floats(bb, dim * dim));
        }
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.postAttentionNorm(i), floats(bb, dim));
        }
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.mlp(i, "gate"), floats(bb, ffn * dim));
        }
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.mlp(i, "down"), floats(bb, dim * ffn));
        }
        for (int i = 0; i < layers; i++) {
            w.put(HfTensorLayout.mlp(i, "up"), floats(bb, ffn * dim));
        }
        w.put(HfTensorLayout.FINAL_NORM, floats(bb, dim));
        float[] real = floats(bb, seq * hd / 2);
        float[] imag = floats(bb, seq * hd / 2);
        if (!tied) {
            w.put(HfTensorLayout.LM_HEAD, floats(bb, vocab * dim));
        }
        if (bb.hasRemaining()) {
            throw new IOException(bb.remaining() + " trailing bytes in " + file);
        }
        return new Checkpoint(shape, w, real, imag, h);
    }

    private static float[] floats(ByteBuffer bb, int n) {
        float[] out = new float[n];
        bb.asFloatBuffer().get(out);
        bb.position(bb.position() + 4 * n);
        return out;
    }
}
