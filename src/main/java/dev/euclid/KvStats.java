package dev.euclid;

/**
 * The KV cache at one moment.
 *
 * @param totalBlocks blocks in the pool (fixed by the byte budget)
 * @param usedBlocks blocks referenced by running sequences
 * @param cachedBlocks unreferenced blocks kept for prefix reuse (evicted least-recently-used when needed)
 * @param freeBlocks empty blocks
 * @param peakUsedBlocks the most blocks referenced at once since the engine opened
 * @param blockTokens positions per block
 * @param prefixHitTokens prompt tokens whose K/V were found in the prefix cache (not computed), since open
 * @param prefixMissTokens prompt tokens that had to be computed, since open
 * @param bytesPerToken KV bytes one position takes (all layers, K and V)
 * @param bytesInUse bytes of the used blocks
 */
public record KvStats(int totalBlocks, int usedBlocks, int cachedBlocks, int freeBlocks, int peakUsedBlocks, int blockTokens,
        long prefixHitTokens, long prefixMissTokens, long bytesPerToken, long bytesInUse) {

    /** Positions the whole pool holds. */
    public long capacityTokens() {
        return (long) totalBlocks * blockTokens;
    }
}
