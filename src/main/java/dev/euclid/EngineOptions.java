package dev.euclid;

import java.nio.file.Path;

/**
 * How {@link Engine#open(Path, EngineOptions)} opens a model. Immutable.
 *
 * @param threads kernel threads; 0 = one per available core
 * @param tokenizer tokenizer file for llama2.c checkpoints; null = look beside the checkpoint
 * @param prefillChunk prompt tokens per forward pass: bounds scratch memory, not results
 * @param weights precision a checkpoint's matrices are converted to when it is opened directly
 *     (engine files keep the precision they were built with)
 * @param kv KV cache settings: element type, block size, byte budget, prefix caching
 */
public record EngineOptions(int threads, Path tokenizer, int prefillChunk, Precision weights, KvOptions kv) {
    public EngineOptions {
        java.util.Objects.requireNonNull(weights, "weights");
        java.util.Objects.requireNonNull(kv, "kv");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        if (prefillChunk < 1 || prefillChunk > 4096) {
            throw new IllegalArgumentException("prefillChunk must be in [1, 4096], got " + prefillChunk);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(0, null, 128, Precision.FP32, KvOptions.defaults());
    }

    public EngineOptions withThreads(int threads) {
        return new EngineOptions(threads, tokenizer, prefillChunk, weights, kv);
    }

    public EngineOptions withTokenizer(Path tokenizer) {
        return new EngineOptions(threads, tokenizer, prefillChunk, weights, kv);
    }

    public EngineOptions withPrefillChunk(int prefillChunk) {
        return new EngineOptions(threads, tokenizer, prefillChunk, weights, kv);
    }

    public EngineOptions withKv(KvOptions kv) {
        return new EngineOptions(threads, tokenizer, prefillChunk, weights, kv);
    }

    public EngineOptions withWeights(Precision weights) {
        return new EngineOptions(threads, tokenizer, prefillChunk, weights, kv);
    }
}
