package dev.euclid;

import java.nio.file.Path;

/**
 * How {@link Engine#open(Path, EngineOptions)} opens a model. Immutable.
 *
 * @param threads kernel threads; 0 = one per available core
 * @param tokenizer tokenizer file for llama2.c checkpoints; null = look beside the checkpoint
 * @param maxTokensPerStep the most tokens one engine step (one forward pass) computes: the next
 *     token of every running sample, draft tokens and chunks of new prompts together; a longer prompt
 *     is computed in chunks over several steps. Bounds the step's scratch memory, not results
 * @param weights precision a checkpoint's matrices are converted to when it is opened directly
 *     (engine files keep the precision they were built with); null (the default) = the checkpoint's
 *     own: a quantised GGUF file opens in the Euclid format nearest to the type holding most of its
 *     weights (Q4_0: {@link Precision#Q4_0}; Q4_1, Q4_K: {@link Precision#Q4_1}; Q5_0, Q5_1, Q5_K,
 *     Q6_K, Q8_0: {@link Precision#INT8}), as llama.cpp runs it, and a float checkpoint in FP32
 * @param kv KV cache settings: element type, block size, byte budget, prefix caching
 * @param maxWeightBytes the most bytes of weights the engine may hold (in the precision it loads
 *     them in; an engine file: its size): a larger model is refused with a {@link
 *     ModelFormatException} before anything is allocated. {@link Long#MAX_VALUE} = no cap.
 * @param speculativeStepTokens tokens one step may verify when requests speculate, decode tokens
 *     and draft tokens together: drafts share this budget, so a lone sequence verifies a tree of
 *     {@code speculativeStepTokens - 1} drafts and a batch of that many sequences none. Verifying k
 *     tokens costs about as much as decoding one while the step stays memory-bound, since the matmul
 *     kernels read each weight row once for a tile of tokens. On the 2-core AVX-512 machine Euclid is
 *     measured on, with the 4-token tiles the kernels had then, k = 4 cost 1.1-1.2x a one-token step
 *     and k = 8 about twice that ({@code euclid bench --verify-curve 16},
 *     bench/results/2026-11-22-speculative.md), hence the default 4. The tiles now take 6 tokens on
 *     AVX-512 (2 on AVX2, 1 on the scalar path): rerun the curve before changing the default, and
 *     raise it on machines with more cores per memory channel.
 * @param activations how the matrix products take their input: {@link Activations#FP32} (the
 *     default), int8-quantised ({@link Activations#INT8}, faster for compute-bound steps with INT8
 *     and 4-bit weights, at a small cost in accuracy: README, Precisions) or rounded to BF16 ({@link
 *     Activations#BF16}, faster compute-bound steps with BF16, FP8, MXFP8 and FP16 weights)
 * @param device where the forward pass runs: {@link Device#CPU} (the default until the CUDA backend
 *     has run on hardware), {@link Device#CUDA(int)}, or {@link Device#AUTO} (CUDA device 0 when it
 *     is usable, else the CPU with one log line saying why)
 * @param mappedWeights where an engine file's weights are read from: false (the default) = a private
 *     copy in transparent huge pages, which batch-1 decode streams faster (on a Zen 4 host 1b FP8 18%
 *     faster than from the mapping: README, "Weights in memory"); true = the file's memory mapping,
 *     which opens at once and shares its pages with every process that maps the file (several engines
 *     on one machine). Checkpoints are converted at open and always held privately
 */
public record EngineOptions(int threads, Path tokenizer, int maxTokensPerStep, Precision weights, KvOptions kv,
        long maxWeightBytes, int speculativeStepTokens, Activations activations, Device device,
        boolean mappedWeights) {
    /** System property giving the default of {@link #maxWeightBytes}, a plain byte count. */
    public static final String MAX_WEIGHT_BYTES_PROPERTY = "euclid.maxWeightBytes";

    public EngineOptions {
        java.util.Objects.requireNonNull(kv, "kv");
        java.util.Objects.requireNonNull(activations, "activations");
        java.util.Objects.requireNonNull(device, "device");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        if (maxTokensPerStep < 1 || maxTokensPerStep > 4096) {
            throw new IllegalArgumentException("maxTokensPerStep must be in [1, 4096], got " + maxTokensPerStep);
        }
        if (maxWeightBytes < 1) throw new IllegalArgumentException("maxWeightBytes must be >= 1, got " + maxWeightBytes);
        if (speculativeStepTokens < 1 || speculativeStepTokens > 4096) {
            throw new IllegalArgumentException("speculativeStepTokens must be in [1, 4096], got " + speculativeStepTokens);
        }
    }

    /** Defaults; the weight cap comes from {@code -Deuclid.maxWeightBytes} when it is set. */
    public static EngineOptions defaults() {
        return new EngineOptions(0, null, 128, null, KvOptions.defaults(), weightCapProperty(), 4, Activations.FP32,
                Device.CPU, false);
    }

    private static long weightCapProperty() {
        String value = System.getProperty(MAX_WEIGHT_BYTES_PROPERTY);
        if (value == null || value.isBlank()) return Long.MAX_VALUE;
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + MAX_WEIGHT_BYTES_PROPERTY + " must be a byte count, got '" + value + "'");
        }
    }

    public EngineOptions withThreads(int threads) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    public EngineOptions withTokenizer(Path tokenizer) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    public EngineOptions withMaxTokensPerStep(int maxTokensPerStep) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    public EngineOptions withKv(KvOptions kv) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    public EngineOptions withWeights(Precision weights) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    public EngineOptions withMaxWeightBytes(long maxWeightBytes) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    public EngineOptions withActivations(Activations activations) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    public EngineOptions withSpeculativeStepTokens(int speculativeStepTokens) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    /** Where the forward pass runs (see {@link #device}). */
    public EngineOptions withDevice(Device device) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }

    /** Where an engine file's weights are read from (see {@link #mappedWeights}). */
    public EngineOptions withMappedWeights(boolean mappedWeights) {
        return new EngineOptions(threads, tokenizer, maxTokensPerStep, weights, kv, maxWeightBytes, speculativeStepTokens, activations, device, mappedWeights);
    }
}
