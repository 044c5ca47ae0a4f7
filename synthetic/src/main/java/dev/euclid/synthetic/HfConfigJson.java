package dev.euclid.synthetic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a {@link ModelShape} to and from the Hugging Face {@code config.json} keys that
 * transformers (and Euclid's own loader) read for Llama, Mistral and Qwen2.
 */
public final class HfConfigJson {

    private HfConfigJson() {
    }

    /**
     * config.json for synthetic models. Their vocabularies are byte-level with no BOS
     * convention, so {@code bos_token_id} is omitted and the last id is declared EOS.
     */
    public static Map<String, Object> of(ModelShape shape, DType dtype) {
        return of(shape, dtype, null, shape.vocab() - 1);
    }

    /**
     * config.json with explicit special-token ids; a null id leaves the key out (transformers
     * then treats it as None).
     */
    public static Map<String, Object> of(ModelShape s, DType dtype, Integer bosTokenId, Integer eosTokenId) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of(s.architecture()));
        c.put("model_type", modelType(s.architecture()));
        c.put("hidden_size", s.dim());
        c.put("intermediate_size", s.ffn());
        c.put("num_hidden_layers", s.layers());
        c.put("num_attention_heads", s.heads());
        c.put("num_key_value_heads", s.kvHeads());
        c.put("head_dim", s.headDim());
        c.put("vocab_size", s.vocab());
        c.put("max_position_embeddings", s.maxSeq());
        c.put("rms_norm_eps", s.rmsEps());
        c.put("rope_theta", s.ropeTheta());
        c.put("rope_scaling", null);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", s.tiedEmbeddings());
        switch (s.architecture()) {
            case ModelShape.LLAMA -> {
                // Llama expresses q/k/v (and o) bias through one flag; we only ever generate q/k/v
                // biases, so a biased Llama shape is only readable by loaders that key on tensors.
                c.put("attention_bias", s.qkvBias());
                c.put("mlp_bias", false);
            }
            case ModelShape.MISTRAL -> c.put("sliding_window", null); // full attention
            case ModelShape.QWEN2 -> {
                c.put("use_sliding_window", false);
                c.put("sliding_window", s.maxSeq());
                c.put("max_window_layers", s.layers());
            }
            default -> throw new IllegalStateException(s.architecture());
        }
        c.put("attention_dropout", 0.0);
        c.put("initializer_range", 0.02);
        c.put("use_cache", true);
        if (bosTokenId != null) {
            c.put("bos_token_id", bosTokenId);
        }
        if (eosTokenId != null) {
            c.put("eos_token_id", eosTokenId);
        }
        c.put("torch_dtype", dtype.torchName());
        return c;
    }

    /** transformers' model_type for an architecture class name. */
    public static String modelType(String architecture) {
        return switch (architecture) {
            case ModelShape.LLAMA -> "llama";
            case ModelShape.MISTRAL -> "mistral";
            case ModelShape.QWEN2 -> "qwen2";
            default -> throw new IllegalArgumentException("unsupported architecture " + architecture);
        };
    }

    /**
     * The shape described by a parsed config.json, applying transformers' defaults for absent
     * keys (num_key_value_heads = heads, head_dim = hidden/heads, untied head, theta 10000).
     */
    public static ModelShape toShape(Map<String, ?> c) {
        String arch = architecture(c);
        int dim = intKey(c, "hidden_size");
        int heads = intKey(c, "num_attention_heads");
        int kvHeads = c.get("num_key_value_heads") == null ? heads : intKey(c, "num_key_value_heads");
        int headDim = c.get("head_dim") == null ? dim / heads : intKey(c, "head_dim");
        boolean bias = switch (arch) {
            case ModelShape.QWEN2 -> true;
            case ModelShape.LLAMA -> Boolean.TRUE.equals(c.get("attention_bias"));
            default -> false;
        };
        return new ModelShape(arch, dim, intKey(c, "intermediate_size"), intKey(c, "num_hidden_layers"),
                heads, kvHeads, headDim, intKey(c, "vocab_size"), intKey(c, "max_position_embeddings"),
                doubleKey(c, "rope_theta", 10000.0), doubleKey(c, "rms_norm_eps", 1e-6), bias,
                Boolean.TRUE.equals(c.get("tie_word_embeddings")));
    }

    private static String architecture(Map<String, ?> c) {
        Object archs = c.get("architectures");
        if (archs instanceof List<?> list && !list.isEmpty()) {
            return String.valueOf(list.get(0));
        }
        Object type = c.get("model_type");
        if ("llama".equals(type)) {
            return ModelShape.LLAMA;
        }
        if ("mistral".equals(type)) {
            return ModelShape.MISTRAL;
        }
        if ("qwen2".equals(type)) {
            return ModelShape.QWEN2;
        }
        throw new IllegalArgumentException("config names no supported architecture: " + archs + " / " + type);
    }

    private static int intKey(Map<String, ?> c, String key) {
        if (!(c.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("config.json lacks numeric " + key);
        }
        return Math.toIntExact(n.longValue());
    }

    private static double doubleKey(Map<String, ?> c, String key, double dflt) {
        Object v = c.get(key);
        return v instanceof Number n ? n.doubleValue() : dflt;
    }
}
