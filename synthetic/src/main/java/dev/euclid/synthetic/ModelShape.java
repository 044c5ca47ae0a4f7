package dev.euclid.synthetic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The hyper-parameters that fix every tensor shape of a Llama-family decoder (Llama 2/3, Mistral,
 * Qwen2). Synthetic models, writers and the reference forward pass all derive their layout from
 * this one record, so a shape that validates here is one every consumer can handle.
 *
 * @param architecture   Hugging Face class name: LlamaForCausalLM, MistralForCausalLM or Qwen2ForCausalLM
 * @param dim            hidden_size
 * @param ffn            intermediate_size
 * @param layers         num_hidden_layers
 * @param heads          num_attention_heads
 * @param kvHeads        num_key_value_heads (grouped-query attention when smaller than heads)
 * @param headDim        per-head width; usually dim/heads but HF allows it to differ
 * @param vocab          vocab_size
 * @param maxSeq         max_position_embeddings
 * @param ropeTheta      RoPE base
 * @param rmsEps         RMSNorm epsilon
 * @param qkvBias        q/k/v projections carry a bias (always true for Qwen2)
 * @param tiedEmbeddings the LM head reuses the token embedding (no lm_head.weight tensor)
 */
public record ModelShape(
        String architecture,
        int dim,
        int ffn,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int vocab,
        int maxSeq,
        double ropeTheta,
        double rmsEps,
        boolean qkvBias,
        boolean tiedEmbeddings) {

    public static final String LLAMA = "LlamaForCausalLM";
    public static final String MISTRAL = "MistralForCausalLM";
    public static final String QWEN2 = "Qwen2ForCausalLM";

    private static final Set<String> ARCHITECTURES = Set.of(LLAMA, MISTRAL, QWEN2);

    public ModelShape {
        if (architecture == null || !ARCHITECTURES.contains(architecture)) {
            throw new IllegalArgumentException(
                    "architecture must be one of " + ARCHITECTURES + ", got " + architecture);
        }
        requirePositive("dim", dim);
        requirePositive("ffn", ffn);
        requirePositive("layers", layers);
        requirePositive("heads", heads);
        requirePositive("kvHeads", kvHeads);
        requirePositive("headDim", headDim);
        requirePositive("vocab", vocab);
        requirePositive("maxSeq", maxSeq);
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "heads (" + heads + ") must be a multiple of kvHeads (" + kvHeads + ")");
        }
        // RoPE rotates pairs of a head's components, so a head needs an even width.
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("headDim must be even for RoPE, got " + headDim);
        }
        if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
            throw new IllegalArgumentException("ropeTheta must be positive and finite, got " + ropeTheta);
        }
        if (!(rmsEps > 0) || Double.isInfinite(rmsEps)) {
            throw new IllegalArgumentException("rmsEps must be positive and finite, got " + rmsEps);
        }
        // transformers' Qwen2 attention always has q/k/v biases and Mistral's never does; a shape
        // that disagrees would produce a folder that transformers itself refuses to load.
        if (architecture.equals(QWEN2) && !qkvBias) {
            throw new IllegalArgumentException("Qwen2ForCausalLM always has q/k/v biases (qkvBias=true)");
        }
        if (architecture.equals(MISTRAL) && qkvBias) {
            throw new IllegalArgumentException("MistralForCausalLM has no q/k/v biases");
        }
        // Every tensor must fit a Java array (the writers and generators use float[] per tensor).
        long biggest = Math.max(Math.max((long) vocab * dim, (long) ffn * dim),
                Math.max((long) heads * headDim * dim, (long) kvHeads * headDim * dim));
        if (biggest > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a tensor of this shape has " + biggest
                    + " elements, more than a Java array can hold");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** Width of the query projection output (heads * headDim). */
    public int qDim() {
        return heads * headDim;
    }

    /** Width of each of the key and value projection outputs (kvHeads * headDim). */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Query heads that share one KV head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** Number of model parameters (all tensors the HF layout stores; tied head counted once). */
    public long parameterCount() {
        long perLayer = 2L * dim                                  // two RMSNorm weights
                + (long) qDim() * dim + 2L * kvDim() * dim         // q, k, v
                + (long) dim * qDim()                              // o
                + 3L * ffn * dim;                                  // gate, up, down
        if (qkvBias) {
            perLayer += qDim() + 2L * kvDim();
        }
        long total = (long) vocab * dim + layers * perLayer + dim;
        if (!tiedEmbeddings) {
            total += (long) vocab * dim;
        }
        return total;
    }

    // ---- presets ---------------------------------------------------------------------------

    private static final Map<String, ModelShape> PRESETS = buildPresets();

    private static Map<String, ModelShape> buildPresets() {
        Map<String, ModelShape> m = new LinkedHashMap<>();
        // llama2.c "stories110M"-like geometry, 32000-token Llama vocabulary.
        m.put("110m", new ModelShape(LLAMA, 768, 2048, 12, 12, 12, 64, 32000, 2048,
                10000.0, 1e-5, false, false));
        // Qwen2-0.5B geometry (bias on q/k/v, tied head, strong GQA) with a 32000 vocabulary.
        m.put("qwen0.5b", new ModelShape(QWEN2, 896, 4864, 24, 14, 2, 64, 32000, 4096,
                1_000_000.0, 1e-6, true, true));
        // Llama-3.2-1B-like geometry with a 32000 vocabulary.
        m.put("1b", new ModelShape(LLAMA, 2048, 8192, 16, 32, 8, 64, 32000, 4096,
                500_000.0, 1e-5, false, false));
        // Small enough for exhaustive unit tests; GQA (2 query heads per KV head), untied head.
        m.put("tiny", new ModelShape(LLAMA, 64, 96, 2, 4, 2, 16, 300, 128,
                10000.0, 1e-5, false, false));
        // Same scale as "tiny" but exercising the Qwen2 path: q/k/v bias, tied head, theta 1e6.
        m.put("tiny-qwen", new ModelShape(QWEN2, 64, 96, 2, 4, 1, 16, 300, 128,
                1_000_000.0, 1e-6, true, true));
        return Collections.unmodifiableMap(m);
    }

    /** Names accepted by {@link #named(String)}, in a stable order. */
    public static Set<String> presetNames() {
        return PRESETS.keySet();
    }

    /** A preset shape by name ("110m", "qwen0.5b", "1b", "tiny", "tiny-qwen"). */
    public static ModelShape named(String name) {
        ModelShape shape = name == null ? null : PRESETS.get(name);
        if (shape == null) {
            throw new IllegalArgumentException(
                    "unknown model shape '" + name + "'; known shapes: " + String.join(", ", PRESETS.keySet()));
        }
        return shape;
    }
}
