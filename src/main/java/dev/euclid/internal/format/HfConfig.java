package dev.euclid.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.ModelFormatException;
import dev.euclid.ModelInfo;
import dev.euclid.RopeLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Hugging Face {@code config.json} into a {@link ModelInfo}, reading each key as
 * transformers' Llama, Mistral and Qwen2 classes do (their defaults included) and refusing what
 * we cannot run.
 */
final class HfConfig {
    static final Set<String> ARCHITECTURES = Set.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM");
    private static final Logger LOG = LoggerFactory.getLogger(HfConfig.class);
    /** transformers' default sliding_window for Mistral and Qwen2 when the key is absent. */
    private static final int DEFAULT_SLIDING_WINDOW = 4096;
    /** Qwen2Config's default max_window_layers. */
    private static final int DEFAULT_MAX_WINDOW_LAYERS = 28;

    private HfConfig() {}

    static ModelInfo parse(Path file, JsonNode c) {
        JsonNode archs = c.path("architectures");
        String arch = archs.isArray() && archs.size() > 0 ? archs.get(0).asText() : "";
        if (!ARCHITECTURES.contains(arch)) {
            throw new ModelFormatException(file + ": unknown architecture '" + arch + "' (supported: "
                    + String.join(", ", ARCHITECTURES.stream().sorted().toList()) + ")");
        }
        boolean qwen = arch.equals("Qwen2ForCausalLM");
        // Llama's attention_bias gives q/k/v and o biases; Qwen2 always has q/k/v biases and
        // ignores the key, as transformers does; Mistral has no attention biases.
        boolean attentionBias = flag(file, c, "attention_bias") && !qwen;
        if (attentionBias && arch.equals("MistralForCausalLM")) {
            throw new ModelFormatException(file + ": attention_bias = true is not supported for " + arch
                    + " (transformers' Mistral has no attention biases)");
        }
        if (flag(file, c, "mlp_bias")) throw new ModelFormatException(file + ": mlp_bias = true is not supported");
        String act = c.path("hidden_act").asText("silu");
        if (!act.equals("silu")) throw new ModelFormatException(file + ": hidden_act '" + act + "' is not supported (silu)");
        int dim = positive(file, c, "hidden_size");
        int heads = positive(file, c, "num_attention_heads");
        int layers = positive(file, c, "num_hidden_layers");
        int kvHeads = c.hasNonNull("num_key_value_heads") ? positive(file, c, "num_key_value_heads") : heads;
        int headDim = c.hasNonNull("head_dim") ? positive(file, c, "head_dim") : dim / heads;
        HfRopeConfig.Rope rope = HfRopeConfig.parse(file, c, positive(file, c, "max_position_embeddings"));
        int context = rope.contextLength();
        int window = slidingWindow(file, c, arch, layers);
        if (window < context) {
            // Within the window sliding attention sees every earlier token, so capping the context
            // there keeps every result exact; attention over a longer sliding window is not implemented.
            LOG.info("{}: {} attends over a sliding window of {} tokens: the context is capped at {} (was {})", file,
                    arch, window, window, context);
            context = window;
        }
        float rmsEps = c.hasNonNull("rms_norm_eps") ? (float) number(file, c, "rms_norm_eps") : 1e-6f;
        return new ModelInfo(arch, dim, positive(file, c, "intermediate_size"), layers, heads, kvHeads, headDim,
                positive(file, c, "vocab_size"), context, rmsEps, rope.theta(), RopeLayout.HALF, qwen || attentionBias,
                flag(file, c, "tie_word_embeddings"), attentionBias, rope.scaling());
    }

    /**
     * The sliding window some layers attend over, or Integer.MAX_VALUE for none. Mistral slides
     * whenever sliding_window is not null; Qwen2 only with use_sliding_window, and only in the
     * layers from max_window_layers on (or those layer_types names "sliding_attention"); Llama never.
     */
    private static int slidingWindow(Path file, JsonNode c, String arch, int layers) {
        boolean slides = switch (arch) {
            case "MistralForCausalLM" -> true;
            case "Qwen2ForCausalLM" -> flag(file, c, "use_sliding_window") && qwenHasSlidingLayers(file, c, layers);
            default -> false;
        };
        if (!slides) return Integer.MAX_VALUE;
        JsonNode w = c.path("sliding_window");
        if (w.isMissingNode()) return DEFAULT_SLIDING_WINDOW;
        if (w.isNull()) return Integer.MAX_VALUE;
        return positive(file, c, "sliding_window");
    }

    private static boolean qwenHasSlidingLayers(Path file, JsonNode c, int layers) {
        JsonNode types = c.path("layer_types");
        if (types.isArray()) {
            for (JsonNode t : types) if (t.asText().equals("sliding_attention")) return true;
            return false;
        }
        int full = c.has("max_window_layers") ? positive(file, c, "max_window_layers") : DEFAULT_MAX_WINDOW_LAYERS;
        return full < layers;
    }

    /** eos_token_id may be one id or a list of ids. */
    static int[] eosIds(JsonNode c) {
        JsonNode eos = c.path("eos_token_id");
        List<Integer> ids = new ArrayList<>();
        if (eos.isArray()) eos.forEach(n -> ids.add(n.asInt()));
        else if (eos.canConvertToInt()) ids.add(eos.asInt());
        return ids.stream().mapToInt(Integer::intValue).filter(i -> i >= 0).toArray();
    }

    /** A boolean key, false when absent or null. */
    private static boolean flag(Path file, JsonNode c, String field) {
        JsonNode n = c.path(field);
        if (n.isMissingNode() || n.isNull()) return false;
        if (!n.isBoolean()) throw new ModelFormatException(file + ": " + field + " must be true or false, got " + n);
        return n.asBoolean();
    }

    private static double number(Path file, JsonNode c, String field) {
        JsonNode n = c.path(field);
        if (!n.isNumber() || !(n.asDouble() > 0) || !Float.isFinite((float) n.asDouble())) {
            throw new ModelFormatException(file + ": " + field + " must be a positive number, got " + n);
        }
        return n.asDouble();
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
