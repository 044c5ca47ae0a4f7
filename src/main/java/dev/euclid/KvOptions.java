package dev.euclid;

/**
 * The paged KV cache of an engine.
 *
 * @param type element type: FP32, FP16, or FP8 (E4M3 with one scale per token and KV head)
 * @param blockTokens positions per block (default 16)
 * @param budgetBytes bytes for the whole pool (whole blocks; {@link Engine#kvTokensFor} tells how
 *     many tokens a budget holds), or 0 for the default: room for {@value #DEFAULT_BUDGET_SEQUENCES}
 *     sequences of the full model context, cut to a quarter ({@value #DEFAULT_BUDGET_MEMORY_SHARE}) of
 *     the memory available when the engine opens (Linux MemAvailable, or the headroom under the
 *     process's cgroup memory limit if that is lower), and never less than one sequence of the full
 *     context. So by default any request of up to {@value #DEFAULT_BUDGET_SEQUENCES} samples that fit
 *     the context is admitted. The pool's pages are touched only as blocks are first used, but prefix
 *     caching keeps freed blocks, so a long-running engine does come to hold its whole budget; set an
 *     explicit budget to bound it. {@link Engine#kvStats} reports the blocks the pool got.
 * @param prefixCaching keep full blocks after their sequences end and reuse them for prompts that
 *     start with the same tokens
 */
public record KvOptions(KvType type, int blockTokens, long budgetBytes, boolean prefixCaching) {
    /** Full-context sequences the default budget (budget 0) makes room for. */
    public static final int DEFAULT_BUDGET_SEQUENCES = 64;
    /** The most of the memory available at open that the default budget takes. */
    public static final double DEFAULT_BUDGET_MEMORY_SHARE = 0.25;
    /**
     * On a GPU, the most of the device memory free at open (after the weights and the step's
     * buffers) that the default budget takes, as TensorRT-LLM's free_gpu_memory_fraction does.
     */
    public static final double DEFAULT_DEVICE_MEMORY_SHARE = 0.9;

    public KvOptions {
        java.util.Objects.requireNonNull(type, "type");
        if (blockTokens < 1 || blockTokens > 4096) {
            throw new IllegalArgumentException("blockTokens must be in [1, 4096], got " + blockTokens);
        }
        if (budgetBytes < 0) throw new IllegalArgumentException("budgetBytes must be >= 0 (0 = the default), got " + budgetBytes);
    }

    public static KvOptions defaults() {
        return new KvOptions(KvType.FP32, 16, 0, true);
    }

    public KvOptions withType(KvType type) {
        return new KvOptions(type, blockTokens, budgetBytes, prefixCaching);
    }

    public KvOptions withBlockTokens(int blockTokens) {
        return new KvOptions(type, blockTokens, budgetBytes, prefixCaching);
    }

    public KvOptions withBudgetBytes(long budgetBytes) {
        return new KvOptions(type, blockTokens, budgetBytes, prefixCaching);
    }

    public KvOptions withPrefixCaching(boolean prefixCaching) {
        return new KvOptions(type, blockTokens, budgetBytes, prefixCaching);
    }
}
