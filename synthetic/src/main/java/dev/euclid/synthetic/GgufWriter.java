package dev.euclid.synthetic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a model as GGUF v3 the way llama.cpp's converter lays it out: architecture {@code llama}
 * (Llama, Mistral; q/k rows permuted from HF's rotate-half order to the interleaved RoPE order) or
 * {@code qwen2} (stored as in HF), matrices as F16, Q8_0 or Q4_0, norms and biases as F32, and the
 * synthetic byte-level tokenizer as {@code tokenizer.ggml.*} metadata ({@code gpt2}, pre
 * {@code qwen2}). Tensors stream a few rows at a time, so a 1B-parameter model needs ~1 MiB of heap
 * for weights.
 */
public final class GgufWriter {
    /** How matrices are stored; llama.cpp's convert script calls these --outtype f16 / q8_0. */
    public enum WeightType { F16, Q8_0, Q4_0 }

    private static final int MAGIC = 0x46554747; // "GGUF" as a little-endian uint32
    private static final int VERSION = 3;
    private static final int ALIGNMENT = 32;
    private static final int GGML_F32 = 0, GGML_F16 = 1, GGML_Q4_0 = 2, GGML_Q8_0 = 8;
    private static final int Q8_0_BLOCK = 32, Q8_0_BLOCK_BYTES = 34, Q4_0_BLOCK_BYTES = 18;
    /** Floats per streamed chunk (1 MiB as float32); permuted tensors round it to whole heads. */
    private static final int CHUNK_ELEMENTS = 1 << 18;
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)");
    private static final int CONTROL = 3, USER_DEFINED = 4, NORMAL = 1; // llama.cpp token types

    private GgufWriter() {}

    /** Writes a synthetic model with its own tokenizer; returns the file size. */
    public static long write(Path file, SyntheticModel model, WeightType type) throws IOException {
        return write(file, model.shape(), model, type);
    }

    /**
     * Writes {@code weights} (HF names and layout, as {@link HfTensorLayout} lists them for
     * {@code shape}) with the synthetic tokenizer of {@code shape.vocab()} tokens.
     *
     * @return the file size in bytes
     */
    public static long write(Path file, ModelShape shape, TensorSource weights, WeightType type) throws IOException {
        String arch = shape.architecture().equals(ModelShape.QWEN2) ? "qwen2" : "llama";
        List<Planned> plan = plan(shape, arch, type);
        GgufHeader kv = metadata(shape, arch, type);
        GgufHeader infos = new GgufHeader();
        for (Planned t : plan) infos.tensorInfo(t.ggufName, t.ne, t.ggmlType, t.offset);
        GgufHeader head = new GgufHeader();
        head.u32(MAGIC);
        head.u32(VERSION);
        head.u64(plan.size());
        head.u64(kv.keyCount());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            drain(out, ByteBuffer.wrap(head.toByteArray()));
            drain(out, ByteBuffer.wrap(kv.toByteArray()));
            drain(out, ByteBuffer.wrap(infos.toByteArray()));
            long dataStart = padTo(out, out.position());
            for (Planned t : plan) {
                padTo(out, dataStart + t.offset);
                writeTensor(out, shape, weights, t);
            }
            return out.size();
        }
    }

    /** One output tensor: where it comes from, how it is stored and where (relative to the data section). */
    private record Planned(String hfName, String ggufName, long[] ne, int ggmlType, int permuteHeads, long offset) {}

    private static List<Planned> plan(ModelShape shape, String arch, WeightType type) {
        List<Planned> plan = new ArrayList<>();
        long offset = 0;
        for (TensorSpec spec : HfTensorLayout.specs(shape)) {
            int[] dims = spec.shape();
            long[] ne = new long[dims.length];
            for (int i = 0; i < dims.length; i++) ne[i] = dims[dims.length - 1 - i];
            long elements = spec.numel();
            int ggml;
            if (dims.length == 1) {
                ggml = GGML_F32; // norms and biases: llama.cpp keeps 1-D tensors in F32
            } else if (type != WeightType.F16 && ne[0] % Q8_0_BLOCK == 0) {
                ggml = type == WeightType.Q8_0 ? GGML_Q8_0 : GGML_Q4_0;
            } else {
                ggml = GGML_F16; // as llama.cpp does for rows that are not whole 32-value blocks
            }
            long bytes = ggml == GGML_F32 ? 4 * elements : ggml == GGML_F16 ? 2 * elements
                    : elements / Q8_0_BLOCK * (ggml == GGML_Q8_0 ? Q8_0_BLOCK_BYTES : Q4_0_BLOCK_BYTES);
            String name = ggufName(spec.name());
            plan.add(new Planned(spec.name(), name, ne, ggml, permuteHeads(shape, arch, name), offset));
            offset = align(offset + bytes);
        }
        return plan;
    }

    /** llama.cpp converts Llama q/k (weights and biases) to interleaved RoPE order; 0 = no permutation. */
    private static int permuteHeads(ModelShape shape, String arch, String ggufName) {
        if (!arch.equals("llama")) return 0;
        if (ggufName.contains(".attn_q.")) return shape.heads();
        if (ggufName.contains(".attn_k.")) return shape.kvHeads();
        return 0;
    }

    private static String ggufName(String hf) {
        switch (hf) {
            case HfTensorLayout.EMBED: return "token_embd.weight";
            case HfTensorLayout.FINAL_NORM: return "output_norm.weight";
            case HfTensorLayout.LM_HEAD: return "output.weight";
            default:
                Matcher m = LAYER.matcher(hf);
                if (!m.matches()) throw new IllegalArgumentException("no GGUF name for " + hf);
                String suffix = switch (m.group(2)) {
                    case "input_layernorm.weight" -> "attn_norm.weight";
                    case "post_attention_layernorm.weight" -> "ffn_norm.weight";
                    case "self_attn.o_proj.weight" -> "attn_output.weight";
                    case "mlp.gate_proj.weight" -> "ffn_gate.weight";
                    case "mlp.up_proj.weight" -> "ffn_up.weight";
                    case "mlp.down_proj.weight" -> "ffn_down.weight";
                    default -> m.group(2).replaceFirst("^self_attn\\.([qkv])_proj\\.", "attn_$1.");
                };
                return "blk." + m.group(1) + "." + suffix;
        }
    }

    private static GgufHeader metadata(ModelShape s, String arch, WeightType type) throws IOException {
        String p = arch + ".";
        GgufHeader h = new GgufHeader()
                .put("general.architecture", arch)
                .put("general.name", "euclid synthetic " + arch)
                .putU32("general.alignment", ALIGNMENT)
                // llama_ftype MOSTLY_F16 / MOSTLY_Q8_0 / MOSTLY_Q4_0
                .putU32("general.file_type", type == WeightType.F16 ? 1 : type == WeightType.Q8_0 ? 7 : 2)
                .putU32(p + "vocab_size", s.vocab())
                .putU32(p + "context_length", s.maxSeq())
                .putU32(p + "embedding_length", s.dim())
                .putU32(p + "block_count", s.layers())
                .putU32(p + "feed_forward_length", s.ffn())
                .putU32(p + "attention.head_count", s.heads())
                .putU32(p + "attention.head_count_kv", s.kvHeads())
                .putU32(p + "attention.key_length", s.headDim())
                .putU32(p + "attention.value_length", s.headDim())
                .putU32(p + "rope.dimension_count", s.headDim())
                .putF32(p + "attention.layer_norm_rms_epsilon", s.rmsEps())
                .putF32(p + "rope.freq_base", s.ropeTheta());
        JsonNode json = new ObjectMapper().readTree(SyntheticTokenizer.byteLevelJson(s.vocab()));
        String[] tokens = new String[s.vocab()];
        int[] types = new int[s.vocab()];
        json.get("model").get("vocab").fields().forEachRemaining(e -> {
            tokens[e.getValue().asInt()] = e.getKey();
            types[e.getValue().asInt()] = NORMAL;
        });
        for (JsonNode added : json.get("added_tokens")) {
            tokens[added.get("id").asInt()] = added.get("content").asText();
            types[added.get("id").asInt()] = added.get("special").asBoolean() ? CONTROL : USER_DEFINED;
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode pair : json.get("model").get("merges")) merges.add(pair.get(0).asText() + " " + pair.get(1).asText());
        return h.put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "qwen2")
                .putStrings("tokenizer.ggml.tokens", tokens)
                .putInts("tokenizer.ggml.token_type", types)
                .putStrings("tokenizer.ggml.merges", merges.toArray(new String[0]))
                .putU32("tokenizer.ggml.eos_token_id", s.vocab() - 1) // <|endoftext|>, the EOS of HfConfigJson.of
                .putBool("tokenizer.ggml.add_bos_token", false);
    }

    /** Streams one tensor in chunks of whole rows (whole heads when permuting). */
    private static void writeTensor(FileChannel out, ModelShape shape, TensorSource weights, Planned t)
            throws IOException {
        long rows = t.ne.length == 1 ? t.ne[0] : t.ne[1];
        int cols = t.ne.length == 1 ? 1 : (int) t.ne[0];
        int unit = t.permuteHeads > 0 ? shape.headDim() : 1;
        int chunkRows = unit * Math.max(1, CHUNK_ELEMENTS / (unit * cols));
        float[] in = new float[chunkRows * cols];
        float[] ordered = t.permuteHeads > 0 ? new float[in.length] : in;
        ByteBuffer buf = ByteBuffer.allocate(in.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long row = 0; row < rows; row += chunkRows) {
            int n = (int) Math.min(chunkRows, rows - row);
            weights.read(t.hfName, row * cols, in, n * cols);
            if (t.permuteHeads > 0) interleave(in, ordered, n, cols, shape.headDim());
            buf.clear();
            switch (t.ggmlType) {
                case GGML_F32 -> { for (int i = 0; i < n * cols; i++) buf.putFloat(ordered[i]); }
                case GGML_F16 -> { for (int i = 0; i < n * cols; i++) buf.putShort(HalfFloats.floatToF16(ordered[i])); }
                case GGML_Q4_0 -> { for (int i = 0; i < n * cols; i += Q8_0_BLOCK) quantizeQ4_0(ordered, i, buf); }
                default -> { for (int i = 0; i < n * cols; i += Q8_0_BLOCK) quantizeQ8_0(ordered, i, buf); }
            }
            buf.flip();
            drain(out, buf);
        }
    }

    /**
     * HF rotate-half order to interleaved order, head by head: output row 2j of a head is input
     * row j and row 2j+1 is input row hd/2 + j, so RoPE's pairs (j, j + hd/2) become (2j, 2j+1).
     */
    public static void interleave(float[] in, float[] out, int rows, int cols, int headDim) {
        int half = headDim / 2;
        for (int head = 0; head < rows; head += headDim) {
            for (int j = 0; j < half; j++) {
                System.arraycopy(in, (head + j) * cols, out, (head + 2 * j) * cols, cols);
                System.arraycopy(in, (head + half + j) * cols, out, (head + 2 * j + 1) * cols, cols);
            }
        }
    }

    /**
     * One Q8_0 block of 32 values as ggml's reference quantizer makes it: scale d = max|x| / 127
     * stored as F16, then q = roundf(x * (1/d)) (halves away from zero) as int8.
     */
    public static void quantizeQ8_0(float[] x, int from, ByteBuffer out) {
        float amax = 0;
        for (int i = 0; i < Q8_0_BLOCK; i++) amax = Math.max(amax, Math.abs(x[from + i]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        out.putShort(HalfFloats.floatToF16(d));
        for (int i = 0; i < Q8_0_BLOCK; i++) out.put((byte) roundHalfAway(x[from + i] * id));
    }

    /**
     * One Q4_0 block of 32 values as ggml's reference quantizer makes it: the value of largest
     * magnitude m (sign kept) gives d = m / -8, stored as F16; q = min(15, (int) (x / d + 8.5)),
     * weight j in the low nibble of byte j and weight j + 16 in its high nibble.
     */
    public static void quantizeQ4_0(float[] x, int from, ByteBuffer out) {
        float amax = 0, max = 0;
        for (int i = 0; i < Q8_0_BLOCK; i++) {
            if (Math.abs(x[from + i]) > amax) {
                amax = Math.abs(x[from + i]);
                max = x[from + i];
            }
        }
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        out.putShort(HalfFloats.floatToF16(d));
        for (int i = 0; i < Q8_0_BLOCK / 2; i++) {
            int lo = Math.min(15, (int) (x[from + i] * id + 8.5f)), hi = Math.min(15, (int) (x[from + 16 + i] * id + 8.5f));
            out.put((byte) (lo | hi << 4));
        }
    }

    /** C's roundf; Math.round would send -2.5 to -2. */
    private static int roundHalfAway(float v) {
        float a = Math.abs(v);
        float r = (float) Math.floor(a);
        if (a - r >= 0.5f) r += 1;
        return (int) Math.copySign(r, v);
    }

    private static long align(long offset) {
        return (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Zero-pads the file up to {@code position} rounded up to the alignment; returns that offset. */
    private static long padTo(FileChannel out, long position) throws IOException {
        long target = align(position);
        drain(out, ByteBuffer.allocate((int) (target - out.position())));
        return target;
    }

    private static void drain(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) out.write(buf);
    }
}
