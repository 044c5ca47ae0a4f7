package dev.euclid.internal.format;

import dev.euclid.ModelFormatException;
import dev.euclid.ModelInfo;
import dev.euclid.RopeLayout;
import dev.euclid.internal.NativeApi;
import dev.euclid.internal.TensorLocation;
import dev.euclid.internal.ModelSpec;
import dev.euclid.internal.TokenizerSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a legacy ("version 0") llama2.c checkpoint: a header of seven int32 (dim, hidden_dim,
 * n_layers, n_heads, n_kv_heads, vocab_size, seq_len; a negative vocab_size means an unshared
 * classifier follows) and then float32 arrays stacked over layers, as in llama2.c's run.c.
 */
public final class Llama2cReader {
    private static final int HEADER_BYTES = 28;
    /** run.c stops when the model emits BOS. */
    private static final int BOS = 1;
    /** As Llama2cTokenizer.load: real tokenizer.bin files are tens of KB. */
    private static final long MAX_TOKENIZER_BYTES = 256L << 20;

    private Llama2cReader() {}

    /** Whether the file looks like a llama2.c checkpoint: a plausible header whose sizes match the file. */
    public static boolean looksLike(Path file) {
        try {
            return Files.isRegularFile(file) && header(file).expectedBytes() == Files.size(file);
        } catch (ModelFormatException | IOException e) {
            return false;
        }
    }

    /**
     * Describes the checkpoint and loads its tokenizer: {@code tokenizer} if given, else
     * {@code tokenizer.bin} or a single {@code tok*.bin} beside the checkpoint.
     */
    public static ModelSpec read(Path checkpoint, Path tokenizer) {
        Header h = header(checkpoint);
        long size = fileSize(checkpoint);
        if (h.expectedBytes() != size) {
            throw new ModelFormatException(checkpoint + ": header dims (dim " + h.dim + ", hidden " + h.hidden
                    + ", layers " + h.layers + ", heads " + h.heads + ", kv heads " + h.kvHeads + ", vocab " + h.vocab
                    + ", seq_len " + h.seqLen + ") need " + h.expectedBytes() + " bytes but the file has " + size
                    + ": truncated, or not a llama2.c checkpoint");
        }
        ModelInfo info = new ModelInfo("llama2.c", h.dim, h.hidden, h.layers, h.heads, h.kvHeads, h.dim / h.heads,
                h.vocab, h.seqLen, 1e-5f, 10000f, RopeLayout.INTERLEAVED, false, h.shared);
        Path tok = tokenizer != null ? tokenizer : findTokenizer(checkpoint);
        byte[] tokBytes;
        try {
            if (Files.size(tok) > MAX_TOKENIZER_BYTES) { // a checkpoint passed as the tokenizer, most likely
                throw new ModelFormatException(tok + ": " + Files.size(tok) + " bytes is far too large for a llama2.c"
                        + " tokenizer (limit " + MAX_TOKENIZER_BYTES + ")");
            }
            tokBytes = Files.readAllBytes(tok);
        } catch (IOException e) {
            throw new UncheckedIOException(tok + ": cannot read", e);
        }
        TokenizerSource source = new TokenizerSource(TokenizerSource.Kind.LLAMA2C, tokBytes, null, h.vocab, tok.toString());
        return ModelSpec.of(info, tensors(checkpoint, h), source, new int[] {BOS});
    }

    private static List<TensorLocation> tensors(Path file, Header h) {
        List<TensorLocation> out = new ArrayList<>();
        long kvDim = (long) h.kvHeads * (h.dim / h.heads);
        long[] offset = {HEADER_BYTES};
        // Arrays in file order; per-layer arrays are stacked over layers.
        out.add(tensor(file, "tok_embeddings", "token_embedding_table", offset, h.vocab, h.dim));
        stacked(out, file, h, "attention_norm", "rms_att_weight", offset, h.dim);
        stacked(out, file, h, "wq", "wq", offset, h.dim, h.dim);
        stacked(out, file, h, "wk", "wk", offset, kvDim, h.dim);
        stacked(out, file, h, "wv", "wv", offset, kvDim, h.dim);
        stacked(out, file, h, "wo", "wo", offset, h.dim, h.dim);
        stacked(out, file, h, "ffn_norm", "rms_ffn_weight", offset, h.dim);
        stacked(out, file, h, "w1", "w1", offset, h.hidden, h.dim);
        stacked(out, file, h, "w2", "w2", offset, h.dim, h.hidden);
        stacked(out, file, h, "w3", "w3", offset, h.hidden, h.dim);
        out.add(tensor(file, "norm", "rms_final_weight", offset, h.dim));
        offset[0] += 4L * h.seqLen * (h.dim / h.heads); // freq_cis_real + freq_cis_imag: recomputed, skipped
        if (!h.shared) out.add(tensor(file, "output", "wcls", offset, h.vocab, h.dim));
        return out;
    }

    private static void stacked(List<TensorLocation> out, Path file, Header h, String name, String sourceName,
            long[] offset, long... shape) {
        for (int l = 0; l < h.layers; l++) {
            out.add(tensor(file, "layers." + l + "." + name, sourceName + "[" + l + "]", offset, shape));
        }
    }

    private static TensorLocation tensor(Path file, String name, String sourceName, long[] offset, long... shape) {
        long bytes = 4;
        for (long d : shape) bytes *= d; // dims are bounded by Header, no overflow
        TensorLocation t = new TensorLocation(name, sourceName, file, NativeApi.DTYPE_F32, offset[0], bytes, shape);
        offset[0] += bytes;
        return t;
    }

    private static Path findTokenizer(Path checkpoint) {
        Path dir = checkpoint.toAbsolutePath().getParent();
        Path named = dir.resolve("tokenizer.bin");
        if (Files.isRegularFile(named)) return named;
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> candidates = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("tok") && n.endsWith(".bin") && !p.equals(checkpoint);
            }).toList();
            if (candidates.size() == 1) return candidates.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new ModelFormatException(checkpoint + ": no tokenizer given and no single tokenizer.bin/tok*.bin beside it;"
                + " pass the llama2.c tokenizer file explicitly");
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
    }

    private static Header header(Path file) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file)) {
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) throw new ModelFormatException(file + ": shorter than the 28-byte llama2.c header");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read", e);
        }
        b.flip();
        return new Header(file, b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt(), b.getInt());
    }

    private static final class Header {
        final int dim, hidden, layers, heads, kvHeads, vocab, seqLen;
        final boolean shared;

        Header(Path file, int dim, int hidden, int layers, int heads, int kvHeads, int vocab, int seqLen) {
            this.dim = check(file, "dim", dim, 1 << 16);
            this.hidden = check(file, "hidden_dim", hidden, 1 << 18);
            this.layers = check(file, "n_layers", layers, 1 << 10);
            this.heads = check(file, "n_heads", heads, 1 << 10);
            this.kvHeads = check(file, "n_kv_heads", kvHeads, 1 << 10);
            this.shared = vocab > 0;
            this.vocab = check(file, "vocab_size", vocab == Integer.MIN_VALUE ? 0 : Math.abs(vocab), 1 << 22);
            this.seqLen = check(file, "seq_len", seqLen, 1 << 22);
            if (dim % heads != 0 || heads % kvHeads != 0 || (dim / heads) % 2 != 0) {
                throw new ModelFormatException(file + ": inconsistent header: dim " + dim + ", n_heads " + heads
                        + ", n_kv_heads " + kvHeads + " (dim must split into even-sized heads, heads into kv groups)");
            }
        }

        private static int check(Path file, String field, int value, int max) {
            if (value < 1 || value > max) {
                throw new ModelFormatException(file + ": llama2.c header field " + field + " = " + value
                        + " is outside [1, " + max + "]: not a llama2.c checkpoint or corrupt");
            }
            return value;
        }

        /** Bytes the header promises; each factor is bounded above, so long arithmetic cannot overflow. */
        long expectedBytes() {
            long headDim = dim / heads, kvDim = kvHeads * headDim;
            long perLayer = 2L * dim + 2L * dim * dim + 2L * kvDim * dim + 3L * hidden * dim;
            long floats = (long) vocab * dim * (shared ? 1 : 2) + layers * perLayer + dim + (long) seqLen * headDim;
            return HEADER_BYTES + 4 * floats;
        }
    }
}
