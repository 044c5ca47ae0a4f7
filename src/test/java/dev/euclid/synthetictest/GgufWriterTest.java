package dev.euclid.synthetictest;

import dev.euclid.synthetic.GgufWriter;
import dev.euclid.synthetic.HfTensorLayout;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.synthetic.SyntheticModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.euclid.internal.format.GgufFile;
import dev.euclid.internal.format.GgufMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {
    @TempDir Path tmp;

    /** ggml's quantize_row_q8_0_ref: d = amax/127 as F16, q = roundf(x / d), halves away from zero. */
    @Test
    void q8BlockAsGgmlQuantizesIt() {
        float[] x = new float[32];
        x[0] = 127f;
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = -0.5f;
        x[4] = 0.49999997f;
        x[5] = -127f;
        ByteBuffer out = ByteBuffer.allocate(34).order(ByteOrder.LITTLE_ENDIAN);
        GgufWriter.quantizeQ8_0(x, 0, out);
        assertEquals((short) 0x3C00, out.getShort(0)); // d = 1.0
        assertArrayEquals(new byte[] {127, 3, -3, -1, 0, -127, 0}, Arrays.copyOfRange(out.array(), 2, 9));

        ByteBuffer zeros = ByteBuffer.allocate(34).order(ByteOrder.LITTLE_ENDIAN);
        GgufWriter.quantizeQ8_0(new float[32], 0, zeros);
        assertArrayEquals(new byte[34], zeros.array());
    }

    @Test
    void interleaveSendsHalvesToEvenAndOddRows() {
        // Two heads of width 4, one column: HF rows (a0 a1 b0 b1) become (a0 b0 a1 b1) per head.
        float[] in = {0, 1, 2, 3, 10, 11, 12, 13};
        float[] out = new float[8];
        GgufWriter.interleave(in, out, 8, 1, 4);
        assertArrayEquals(new float[] {0, 2, 1, 3, 10, 12, 11, 13}, out);
    }

    @Test
    void layoutAndMetadata() throws IOException {
        ModelShape shape = ModelShape.named("tiny-qwen");
        Path file = tmp.resolve("m.gguf");
        long size = GgufWriter.write(file, new SyntheticModel(shape, 3), GgufWriter.WeightType.Q8_0);
        GgufFile gguf = GgufFile.open(file);
        assertEquals(3, gguf.version());
        GgufMetadata m = gguf.metadata();
        assertEquals("qwen2", m.string("general.architecture"));
        assertEquals(shape.vocab(), m.arrayLength("tokenizer.ggml.tokens"));
        assertEquals("<|endoftext|>", m.stringArray("tokenizer.ggml.tokens")[shape.vocab() - 1]);
        assertEquals(shape.vocab() - 1, m.integer("tokenizer.ggml.eos_token_id"));
        assertEquals(1e6, m.number("qwen2.rope.freq_base"));
        // Tied: no output.weight; biases and norms F32, matrices Q8_0; every tensor 32-byte aligned.
        assertEquals(HfTensorLayout.specs(shape).size(), gguf.tensors().size());
        assertFalse(gguf.tensors().containsKey("output.weight"));
        assertEquals(GgufFile.F32, gguf.tensors().get("blk.0.attn_q.bias").type());
        assertEquals(GgufFile.Q8_0, gguf.tensors().get("blk.1.ffn_down.weight").type());
        assertArrayEquals(new long[] {shape.dim(), shape.vocab()}, gguf.tensors().get("token_embd.weight").ne());
        long end = 0;
        for (GgufFile.Tensor t : gguf.tensors().values()) {
            assertEquals(0, t.offset() % 32, t.name());
            end = Math.max(end, t.offset() + t.byteLength());
        }
        assertEquals(size, end);
    }
}
