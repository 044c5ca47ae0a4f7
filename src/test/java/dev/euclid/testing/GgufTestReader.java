package dev.euclid.testing;

import dev.euclid.internal.format.GgufFile;
import dev.euclid.synthetic.HalfFloats;
import dev.euclid.synthetic.HfTensorLayout;
import dev.euclid.synthetic.ModelShape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the weights of a (small) GGUF back as floats under their HF names, for the test reference
 * forward pass: F32, F16 and Q8_0 decoded here in plain Java, independently of the native loader.
 * The rows stay in the file's order, so Llama q/k come back in interleaved RoPE order.
 */
public final class GgufTestReader {
    private GgufTestReader() {}

    public static Map<String, float[]> hfWeights(Path file, ModelShape shape) throws IOException {
        GgufFile gguf = GgufFile.open(file);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file)) {
            for (var spec : HfTensorLayout.specs(shape)) {
                GgufFile.Tensor t = gguf.tensors().get(ggufName(spec.name()));
                if (t == null) throw new IllegalArgumentException("no GGUF tensor for " + spec.name());
                ByteBuffer raw = ByteBuffer.allocate((int) t.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
                while (raw.hasRemaining()) ch.read(raw, t.offset() + raw.position());
                out.put(spec.name(), decode(raw.flip(), t.type(), spec.numel()));
            }
        }
        return out;
    }

    /** Weights already decoded (e.g. by {@link GgufOracle}), by GGUF name, under their HF names. */
    public static Map<String, float[]> hfWeights(Map<String, float[]> byGgufName, ModelShape shape) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var spec : HfTensorLayout.specs(shape)) {
            float[] v = byGgufName.get(ggufName(spec.name()));
            if (v == null || v.length != spec.numel()) throw new IllegalArgumentException("no GGUF tensor for " + spec.name());
            out.put(spec.name(), v);
        }
        return out;
    }

    private static float[] decode(ByteBuffer raw, int type, int count) {
        float[] v = new float[count];
        switch (type) {
            case GgufFile.F32 -> raw.asFloatBuffer().get(v);
            case GgufFile.F16 -> {
                for (int i = 0; i < count; i++) v[i] = HalfFloats.f16ToFloat(raw.getShort());
            }
            case GgufFile.Q8_0 -> {
                for (int block = 0; block < count / 32; block++) {
                    float d = HalfFloats.f16ToFloat(raw.getShort());
                    for (int j = 0; j < 32; j++) v[block * 32 + j] = d * raw.get();
                }
            }
            default -> throw new IllegalArgumentException("ggml type " + type);
        }
        return v;
    }

    private static String ggufName(String hf) {
        if (hf.equals(HfTensorLayout.EMBED)) return "token_embd.weight";
        if (hf.equals(HfTensorLayout.FINAL_NORM)) return "output_norm.weight";
        if (hf.equals(HfTensorLayout.LM_HEAD)) return "output.weight";
        String rest = hf.substring("model.layers.".length());
        String layer = rest.substring(0, rest.indexOf('.'));
        String name = rest.substring(layer.length() + 1)
                .replace("input_layernorm", "attn_norm")
                .replace("post_attention_layernorm", "ffn_norm")
                .replace("self_attn.o_proj", "attn_output")
                .replace("self_attn.q_proj", "attn_q")
                .replace("self_attn.k_proj", "attn_k")
                .replace("self_attn.v_proj", "attn_v")
                .replace("mlp.gate_proj", "ffn_gate")
                .replace("mlp.up_proj", "ffn_up")
                .replace("mlp.down_proj", "ffn_down");
        return "blk." + layer + "." + name;
    }
}
