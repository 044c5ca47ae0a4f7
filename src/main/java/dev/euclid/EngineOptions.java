package dev.euclid;

import java.nio.file.Path;

/**
 * How {@link Engine#open(Path, EngineOptions)} opens a model. Immutable.
 *
 * @param threads kernel threads; 0 = one per available core
 * @param tokenizer tokenizer file for llama2.c checkpoints; null = look beside the checkpoint
 * @param prefillChunk prompt tokens per forward pass: bounds scratch memory, not results
 */
public record EngineOptions(int threads, Path tokenizer, int prefillChunk) {
    public EngineOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        if (prefillChunk < 1 || prefillChunk > 4096) {
            throw new IllegalArgumentException("prefillChunk must be in [1, 4096], got " + prefillChunk);
        }
    }

    public static EngineOptions defaults() {
        return new EngineOptions(0, null, 128);
    }

    public EngineOptions withThreads(int threads) {
        return new EngineOptions(threads, tokenizer, prefillChunk);
    }

    public EngineOptions withTokenizer(Path tokenizer) {
        return new EngineOptions(threads, tokenizer, prefillChunk);
    }

    public EngineOptions withPrefillChunk(int prefillChunk) {
        return new EngineOptions(threads, tokenizer, prefillChunk);
    }
}
