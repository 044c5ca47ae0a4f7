package dev.euclid;

/**
 * The paged KV cache of an engine.
 *
 * @param type element type: FP32, FP16, or FP8 (E4M3 with one scale per token and KV head)
 * @param blockTokens positions per block (default 16)
 * @param budgetBytes bytes for the whole pool; 0 = enough for one sequence of the full model
 *     context (plus one block for copy-on-write). {@link Engine#kvTokensFor} tells how many tokens a budget holds.
 * @param prefixCaching keep full blocks after their sequences end and reuse them for prompts that
 *     start with the same tokens
 */
public record KvOptions(KvType type, int blockTokens, long budgetBytes, boolean prefixCaching) {
    public KvOptions {
        java.util.Objects.requireNonNull(type, "type");
        if (blockTokens < 1 || blockTokens > 4096) {
            throw new IllegalArgumentException("KV block size must be in [1, 4096] tokens, got " + blockTokens);
        }
        if (budgetBytes < 0) throw new IllegalArgumentException("KV budget must be >= 0 bytes, got " + budgetBytes);
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
