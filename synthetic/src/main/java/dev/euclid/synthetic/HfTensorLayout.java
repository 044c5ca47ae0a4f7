package dev.euclid.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * The Hugging Face tensor names and (out, in) shapes of a Llama-family checkpoint. One place
 * defines them so the generator, the writers and the tests cannot disagree about a name.
 */
public final class HfTensorLayout {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private HfTensorLayout() {
    }

    /** Prefix of layer {@code i}'s tensors, e.g. {@code model.layers.3.}. */
    public static String layer(int i) {
        return "model.layers." + i + ".";
    }

    public static String inputNorm(int i) {
        return layer(i) + "input_layernorm.weight";
    }

    public static String postAttentionNorm(int i) {
        return layer(i) + "post_attention_layernorm.weight";
    }

    /** {@code proj} is one of q, k, v, o. */
    public static String attnWeight(int i, char proj) {
        return layer(i) + "self_attn." + proj + "_proj.weight";
    }

    /** {@code proj} is one of q, k, v. */
    public static String attnBias(int i, char proj) {
        return layer(i) + "self_attn." + proj + "_proj.bias";
    }

    /** {@code proj} is one of gate, up, down. */
    public static String mlp(int i, String proj) {
        return layer(i) + "mlp." + proj + "_proj.weight";
    }

    /**
     * All tensors of {@code shape} in the order transformers lists them. {@code lm_head.weight}
     * only appears for untied heads (tied checkpoints saved by transformers omit it).
     */
    public static List<TensorSpec> specs(ModelShape s) {
        List<TensorSpec> out = new ArrayList<>();
        out.add(new TensorSpec(EMBED, new int[] {s.vocab(), s.dim()}));
        for (int i = 0; i < s.layers(); i++) {
            out.add(new TensorSpec(inputNorm(i), new int[] {s.dim()}));
            out.add(new TensorSpec(attnWeight(i, 'q'), new int[] {s.qDim(), s.dim()}));
            if (s.qkvBias()) {
                out.add(new TensorSpec(attnBias(i, 'q'), new int[] {s.qDim()}));
            }
            out.add(new TensorSpec(attnWeight(i, 'k'), new int[] {s.kvDim(), s.dim()}));
            if (s.qkvBias()) {
                out.add(new TensorSpec(attnBias(i, 'k'), new int[] {s.kvDim()}));
            }
            out.add(new TensorSpec(attnWeight(i, 'v'), new int[] {s.kvDim(), s.dim()}));
            if (s.qkvBias()) {
                out.add(new TensorSpec(attnBias(i, 'v'), new int[] {s.kvDim()}));
            }
            out.add(new TensorSpec(attnWeight(i, 'o'), new int[] {s.dim(), s.qDim()}));
            out.add(new TensorSpec(postAttentionNorm(i), new int[] {s.dim()}));
            out.add(new TensorSpec(mlp(i, "gate"), new int[] {s.ffn(), s.dim()}));
            out.add(new TensorSpec(mlp(i, "up"), new int[] {s.ffn(), s.dim()}));
            out.add(new TensorSpec(mlp(i, "down"), new int[] {s.dim(), s.ffn()}));
        }
        out.add(new TensorSpec(FINAL_NORM, new int[] {s.dim()}));
        if (!s.tiedEmbeddings()) {
            out.add(new TensorSpec(LM_HEAD, new int[] {s.vocab(), s.dim()}));
        }
        return List.copyOf(out);
    }
}
