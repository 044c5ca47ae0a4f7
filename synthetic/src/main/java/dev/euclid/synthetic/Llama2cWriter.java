package dev.euclid.synthetic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the legacy ("version 0") llama2.c checkpoint that run.c reads: a 7 × int32 header
 * (dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len; vocab_size negative when
 * the classifier is not shared with the embedding) followed by float32 arrays, each per-layer
 * array stacked over layers: embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1 (gate), w2 (down),
 * w3 (up), rms_final, freq_cis_real, freq_cis_imag, and wcls only when untied.
 *
 * <p>Input is the Hugging Face layout. HF stores q_proj/k_proj rows in rotate_half order (RoPE
 * pairs (j, j+hd/2) within a head) while run.c rotates interleaved pairs (2j, 2j+1), so within
 * every head llama2.c row 2j = HF row j and row 2j+1 = HF row hd/2+j. Other tensors are copied.
 *
 * <p>The format cannot express q/k/v biases or a head width other than dim/n_heads, so such
 * shapes are refused. run.c also hard-codes RoPE theta 10000 and RMSNorm eps 1e-5 (it ignores
 * the freq_cis tables, which are written from the shape's theta for readers that use them), so
 * other values are written but only readers that take them from elsewhere reproduce the model.
 */
public final class Llama2cWriter {

    private static final int BUFFER_BYTES = 1 << 20;

    private Llama2cWriter() {
    }

    /** Writes a synthetic model; returns the file size in bytes. */
    public static long write(Path file, SyntheticModel model) throws IOException {
        return write(file, model.shape(), model);
    }

    /**
     * Writes HF-layout tensors of {@code shape} from {@code source} as a llama2.c checkpoint.
     *
     * @return the file size in bytes
     * @throws IllegalArgumentException if llama2.c cannot represent the shape
     */
    public static long write(Path file, ModelShape shape, TensorSource source) throws IOException {
        checkRepresentable(shape);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            Sink out = new Sink(ch);
            out.putInt(shape.dim());
            out.putInt(shape.ffn());
            out.putInt(shape.layers());
            out.putInt(shape.heads());
            out.putInt(shape.kvHeads());
            out.putInt(shape.tiedEmbeddings() ? shape.vocab() : -shape.vocab());
            out.putInt(shape.maxSeq());

            copy(out, source, HfTensorLayout.EMBED);
            for (int i = 0; i < shape.layers(); i++) {
                copy(out, source, HfTensorLayout.inputNorm(i));
            }
            for (int i = 0; i < shape.layers(); i++) {
                copyInterleaved(out, source, HfTensorLayout.attnWeight(i, 'q'), shape.heads(), shape);
            }
            for (int i = 0; i < shape.layers(); i++) {
                copyInterleaved(out, source, HfTensorLayout.attnWeight(i, 'k'), shape.kvHeads(), shape);
            }
            for (int i = 0; i < shape.layers(); i++) {
                copy(out, source, HfTensorLayout.attnWeight(i, 'v'));
            }
            for (int i = 0; i < shape.layers(); i++) {
                copy(out, source, HfTensorLayout.attnWeight(i, 'o'));
            }
            for (int i = 0; i < shape.layers(); i++) {
                copy(out, source, HfTensorLayout.postAttentionNorm(i));
            }
            for (int i = 0; i < shape.layers(); i++) {
                copy(out, source, HfTensorLayout.mlp(i, "gate")); // w1
            }
            for (int i = 0; i < shape.layers(); i++) {
                copy(out, source, HfTensorLayout.mlp(i, "down")); // w2
            }
            for (int i = 0; i < shape.layers(); i++) {
                copy(out, source, HfTensorLayout.mlp(i, "up")); // w3
            }
            copy(out, source, HfTensorLayout.FINAL_NORM);
            writeFreqCis(out, shape);
            if (!shape.tiedEmbeddings()) {
                copy(out, source, HfTensorLayout.LM_HEAD);
            }
            out.flush();
            return ch.size();
        }
    }

    /** Throws if the legacy format has no way to store this shape. */
    public static void checkRepresentable(ModelShape shape) {
        if (shape.qkvBias()) {
            throw new IllegalArgumentException("llama2.c checkpoints have no q/k/v bias (" + shape.architecture() + ")");
        }
        if ((long) shape.headDim() * shape.heads() != shape.dim()) {
            throw new IllegalArgumentException("llama2.c derives head size as dim/n_heads = "
                    + shape.dim() + "/" + shape.heads() + " but headDim is " + shape.headDim());
        }
    }

    /** Streams a tensor unchanged. */
    private static void copy(Sink out, TensorSource source, String name) throws IOException {
        long n = source.spec(name).numel();
        float[] slice = new float[BUFFER_BYTES / 4];
        for (long off = 0; off < n; off += slice.length) {
            int len = (int) Math.min(slice.length, n - off);
            source.read(name, off, slice, len);
            out.putFloats(slice, 0, len);
        }
    }

    /** Streams a q/k weight head by head, reordering rows from rotate_half to interleaved pairs. */
    private static void copyInterleaved(Sink out, TensorSource source, String name, int nHeads, ModelShape shape)
            throws IOException {
        int hd = shape.headDim();
        int cols = shape.dim();
        float[] head = new float[hd * cols];
        for (int h = 0; h < nHeads; h++) {
            source.read(name, (long) h * hd * cols, head, head.length);
            for (int j = 0; j < hd / 2; j++) {
                out.putFloats(head, j * cols, cols);            // llama2.c row 2j   = HF row j
                out.putFloats(head, (hd / 2 + j) * cols, cols); // llama2.c row 2j+1 = HF row hd/2+j
            }
        }
    }

    /** run.c's (seq_len, head_size/2) cos and sin tables for angle pos * theta^(-2j/head_size). */
    private static void writeFreqCis(Sink out, ModelShape shape) throws IOException {
        int half = shape.headDim() / 2;
        double[] freq = new double[half];
        for (int j = 0; j < half; j++) {
            freq[j] = Math.pow(shape.ropeTheta(), -2.0 * j / shape.headDim());
        }
        for (int pos = 0; pos < shape.maxSeq(); pos++) {
            for (int j = 0; j < half; j++) {
                out.putFloat((float) Math.cos(pos * freq[j]));
            }
        }
        for (int pos = 0; pos < shape.maxSeq(); pos++) {
            for (int j = 0; j < half; j++) {
                out.putFloat((float) Math.sin(pos * freq[j]));
            }
        }
    }

    /** Little-endian buffered output onto a channel. */
    private static final class Sink {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);

        Sink(FileChannel ch) {
            this.ch = ch;
        }

        void putInt(int v) throws IOException {
            ensure(4);
            buf.putInt(v);
        }

        void putFloat(float v) throws IOException {
            ensure(4);
            buf.putFloat(v);
        }

        void putFloats(float[] v, int from, int len) throws IOException {
            while (len > 0) {
                ensure(4);
                int n = Math.min(len, buf.remaining() / 4);
                buf.asFloatBuffer().put(v, from, n);
                buf.position(buf.position() + n * 4);
                from += n;
                len -= n;
            }
        }

        private void ensure(int bytes) throws IOException {
            if (buf.remaining() < bytes) {
                flush();
            }
        }

        void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }
    }
}
