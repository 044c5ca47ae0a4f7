package dev.euclid.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.euclid.ModelFormatException;
import dev.euclid.RopeScaling;
import java.nio.file.Path;

/**
 * Reads RoPE's base and scaling from a Hugging Face {@code config.json}: {@code rope_theta} and
 * {@code rope_scaling} (transformers 4.x) or {@code rope_parameters} (transformers 5), resolving
 * every default the way transformers' {@code modeling_rope_utils.py} does.
 */
final class HfRopeConfig {
    static final String SUPPORTED = "default, linear, dynamic, llama3, yarn";

    /** RoPE's base, its scaling, and the context length the scaling is meant for. */
    record Rope(float theta, RopeScaling scaling, int contextLength) {}

    private final Path file;
    private final JsonNode params;
    private final String prefix;

    private HfRopeConfig(Path file, JsonNode params, String prefix) {
        this.file = file;
        this.params = params;
        this.prefix = prefix;
    }

    /**
     * @param maxPositions the config's max_position_embeddings
     * @throws ModelFormatException naming the file and the field for an unknown type, a missing or
     *                              malformed required field
     */
    static Rope parse(Path file, JsonNode c, int maxPositions) {
        // As transformers: a non-null rope_scaling wins over rope_parameters.
        String key = c.hasNonNull("rope_scaling") ? "rope_scaling" : "rope_parameters";
        JsonNode params = c.path(key);
        if (params.isMissingNode() || params.isNull()) params = JsonNodeFactory.instance.objectNode();
        if (!params.isObject()) throw new ModelFormatException(file + ": " + key + " must be an object, got " + params);
        HfRopeConfig r = new HfRopeConfig(file, params, key + ".");
        r.refusePartialRotation(c);
        // rope_theta inside the RoPE parameters wins over the top-level key (transformers' setdefault).
        float theta = r.has("rope_theta") ? r.number("rope_theta", 0, false)
                : (float) topLevel(file, c, "rope_theta", 10000.0);
        String type = r.type();
        RopeScaling scaling = switch (type) {
            case "default" -> RopeScaling.NONE;
            case "linear" -> RopeScaling.linear(r.factor(type));
            // transformers grows the base relative to max_position_embeddings.
            case "dynamic" -> RopeScaling.dynamic(r.factor(type), maxPositions);
            case "llama3" -> {
                float factor = r.factor(type);
                float low = r.required("low_freq_factor", type, 0, false);
                float high = r.required("high_freq_factor", type, 0, false);
                if (!(high > low)) {
                    throw new ModelFormatException(file + ": " + r.prefix + "high_freq_factor (" + high
                            + ") must be greater than low_freq_factor (" + low + ")");
                }
                yield RopeScaling.llama3(factor, r.originalMaxPositions(c, maxPositions), low, high);
            }
            case "yarn" -> r.yarn(c, maxPositions);
            default -> throw new ModelFormatException(file + ": " + r.prefix + "rope_type \"" + type
                    + "\" is not supported (supported: " + SUPPORTED + ")");
        };
        return new Rope(theta, scaling, contextLength(scaling, maxPositions));
    }

    /**
     * The context a scaled checkpoint is meant for, by vLLM's rule: linear and dynamic multiply
     * max_position_embeddings by the factor, yarn the original length; llama3 checkpoints already
     * state the extended length in max_position_embeddings.
     */
    private static int contextLength(RopeScaling s, int maxPositions) {
        double length = switch (s.type()) {
            case NONE, LLAMA3 -> maxPositions;
            case LINEAR, DYNAMIC -> (double) maxPositions * s.factor();
            case YARN -> (double) s.originalMaxPositions() * s.factor();
        };
        return (int) Math.min(Integer.MAX_VALUE, Math.floor(length));
    }

    private String type() {
        // rope_type wins over the older spelling "type", as in transformers.
        JsonNode t = params.hasNonNull("rope_type") ? params.get("rope_type") : params.path("type");
        if (t.isMissingNode() || t.isNull()) return "default";
        if (!t.isTextual()) {
            throw new ModelFormatException(file + ": " + prefix + "rope_type must be a string, got " + t);
        }
        return t.asText();
    }

    /**
     * partial_rotary_factor (top level or among the RoPE parameters) below 1 would rotate only part
     * of each head; transformers' Llama, Mistral and Qwen2 rotate whole heads and cannot run it.
     */
    private void refusePartialRotation(JsonNode c) {
        JsonNode f = params.has("partial_rotary_factor") ? params.get("partial_rotary_factor")
                : c.path("partial_rotary_factor");
        if (f.isMissingNode() || f.isNull() || (f.isNumber() && f.asDouble() == 1.0)) return;
        throw new ModelFormatException(file + ": partial_rotary_factor " + f
                + " is not supported (Llama, Mistral and Qwen2 rotate whole heads: only 1.0)");
    }

    private float factor(String type) {
        return required("factor", type, 1, true);
    }

    /** yarn, as transformers' _compute_yarn_parameters resolves it. */
    private RopeScaling yarn(JsonNode c, int maxPositions) {
        if (!params.has("factor")) throw missing("factor", "yarn");
        int original = originalMaxPositions(c, maxPositions);
        // A null factor means "as far as max_position_embeddings reaches" (DeepSeek-V3's configs).
        float factor = params.get("factor").isNull() ? (float) ((double) maxPositions / original)
                : number("factor", 1, true);
        if (!(factor >= 1)) {
            throw new ModelFormatException(file + ": " + prefix + "factor must be >= 1, got max_position_embeddings / "
                    + "original_max_position_embeddings = " + maxPositions + " / " + original);
        }
        // "beta_fast or 32": an absent, null or zero value takes the default.
        float betaFast = truthy("beta_fast") ? number("beta_fast", 0, false) : 32;
        float betaSlow = truthy("beta_slow") ? number("beta_slow", 0, false) : 1;
        JsonNode truncate = params.path("truncate");
        if (!truncate.isMissingNode() && !truncate.isBoolean()) {
            throw new ModelFormatException(file + ": " + prefix + "truncate must be true or false, got " + truncate);
        }
        double attention;
        if (has("attention_factor")) {
            attention = number("attention_factor", 0, false);
        } else if (truthy("mscale") && truthy("mscale_all_dim")) {
            attention = mscale(factor, number("mscale", 0, false)) / mscale(factor, number("mscale_all_dim", 0, false));
        } else {
            attention = mscale(factor, 1);
        }
        return RopeScaling.yarn(factor, original, betaFast, betaSlow, truncate.asBoolean(true), (float) attention);
    }

    /** YaRN's attention temperature: 0.1 m ln(s) + 1 for a scale s > 1. */
    private static double mscale(double scale, double m) {
        return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
    }

    /**
     * original_max_position_embeddings: a top-level key overrides the RoPE parameters' one, and
     * max_position_embeddings stands in when neither is given (transformers' standardize_rope_params).
     */
    private int originalMaxPositions(JsonNode c, int maxPositions) {
        String k = "original_max_position_embeddings";
        JsonNode n = c.hasNonNull(k) ? c.get(k) : params.hasNonNull(k) ? params.get(k) : null;
        if (n == null) return maxPositions;
        if (!n.canConvertToInt() || n.asInt() < 1) {
            throw new ModelFormatException(file + ": " + (c.hasNonNull(k) ? "" : prefix) + k
                    + " must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    private float required(String field, String type, double min, boolean inclusive) {
        if (!has(field)) throw missing(field, type);
        return number(field, min, inclusive);
    }

    private ModelFormatException missing(String field, String type) {
        return new ModelFormatException(file + ": " + prefix + field + " is missing (required for rope_type \"" + type
                + "\")");
    }

    private boolean has(String field) {
        return params.hasNonNull(field);
    }

    private boolean truthy(String field) {
        return has(field) && !(params.get(field).isNumber() && params.get(field).asDouble() == 0);
    }

    /** A finite number above min (or at it, when inclusive), as a float. */
    private float number(String field, double min, boolean inclusive) {
        JsonNode n = params.get(field);
        double v = n.isNumber() ? n.asDouble() : Double.NaN;
        if (!Double.isFinite(v) || v < min || (!inclusive && v == min) || !Float.isFinite((float) v)) {
            throw new ModelFormatException(file + ": " + prefix + field + " must be a number " + (inclusive ? ">= " : "> ")
                    + formatted(min) + ", got " + n);
        }
        return (float) v;
    }

    private static double topLevel(Path file, JsonNode c, String field, double dflt) {
        JsonNode n = c.path(field);
        if (n.isMissingNode() || n.isNull()) return dflt;
        double v = n.isNumber() ? n.asDouble() : Double.NaN;
        if (!(v > 0) || !Float.isFinite((float) v)) {
            throw new ModelFormatException(file + ": " + field + " must be a positive number, got " + n);
        }
        return v;
    }

    private static String formatted(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
