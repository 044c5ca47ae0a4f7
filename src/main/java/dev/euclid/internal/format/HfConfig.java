package dev.euclid.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.ModelFormatException;
import dev.euclid.ModelInfo;
import dev.euclid.RopeLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns a Hugging Face {@code config.json} into a {@link ModelInfo}, refusing what we cannot run. */
final class HfConfig {
    static final Set<String> ARCHITECTURES = Set.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM");

    private HfConfig() {}

    static ModelInfo parse(Path file, JsonNode c) {
        JsonNode archs = c.path("architectures");
        String arch = archs.isArray() && archs.size() > 0 ? archs.get(0).asText() : "";
        if (!ARCHITECTURES.contains(arch)) {
            throw new ModelFormatException(file + ": unknown architecture '" + arch + "' (supported: "
                    + String.join(", ", ARCHITECTURES.stream().sorted().toList()) + ")");
        }
        boolean qwen = arch.equals("Qwen2ForCausalLM");
        if (!qwen && c.path("attention_bias").asBoolean(false)) {
            throw new ModelFormatException(file + ": attention_bias = true is not supported for " + arch);
        }
        JsonNode scaling = c.path("rope_scaling");
        if (!scaling.isMissingNode() && !scaling.isNull()) {
            throw new ModelFormatException(file + ": rope_scaling " + scaling + " is not supported yet");
        }
        String act = c.path("hidden_act").asText("silu");
        if (!act.equals("silu")) throw new ModelFormatException(file + ": hidden_act '" + act + "' is not supported (silu)");
        int dim = positive(file, c, "hidden_size");
        int heads = positive(file, c, "num_attention_heads");
        int kvHeads = c.has("num_key_value_heads") ? positive(file, c, "num_key_value_heads") : heads;
        int headDim = c.hasNonNull("head_dim") ? positive(file, c, "head_dim") : dim / heads;
        int context = positive(file, c, "max_position_embeddings");
        // Mistral's sliding window only matters beyond its size: keep the context within it.
        if (c.path("sliding_window").canConvertToInt() && c.path("use_sliding_window").asBoolean(!qwen)) {
            context = Math.min(context, Math.max(1, c.path("sliding_window").asInt()));
        }
        return new ModelInfo(arch, dim, positive(file, c, "intermediate_size"), positive(file, c, "num_hidden_layers"),
                heads, kvHeads, headDim, positive(file, c, "vocab_size"), context,
                (float) c.path("rms_norm_eps").asDouble(1e-6), (float) c.path("rope_theta").asDouble(10000.0),
                RopeLayout.HALF, qwen, c.path("tie_word_embeddings").asBoolean(false));
    }

    /** eos_token_id may be one id or a list of ids. */
    static int[] eosIds(JsonNode c) {
        JsonNode eos = c.path("eos_token_id");
        List<Integer> ids = new ArrayList<>();
        if (eos.isArray()) eos.forEach(n -> ids.add(n.asInt()));
        else if (eos.canConvertToInt()) ids.add(eos.asInt());
        return ids.stream().mapToInt(Integer::intValue).filter(i -> i >= 0).toArray();
    }

    private static int positive(Path file, JsonNode c, String field) {
        JsonNode n = c.path(field);
        if (!n.canConvertToInt() || n.asInt() < 1) {
            throw new ModelFormatException(file + ": " + field + " must be a positive integer, got "
                    + (n.isMissingNode() ? "nothing" : n.toString()));
        }
        return n.asInt();
    }
}
