package dev.euclid.internal.kv;

import dev.euclid.KvStats;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Owns the KV block pool's bookkeeping (the policy; the native cache only stores rows): which
 * blocks are free, reference counts of shared blocks, copy-on-write of a shared partial block, and
 * the prefix cache — full blocks keyed by their whole prefix, kept after their sequences end and
 * evicted least-recently-used when a block is needed. Nothing else hands out blocks. Not
 * thread-safe: used from the engine's one step thread.
 */
public final class BlockManager {
    /** Performs a block copy in the native cache (copy-on-write). */
    public interface BlockCopier {
        void copy(int src, int dst);
    }

    private final int blockTokens;
    private final int totalBlocks;
    private final boolean prefixCaching;
    private final int[] refCount;
    private final BlockKey[] registered; // the key a block is cached under, or null
    private final int[] freeStack;
    private int freeCount;
    private final Map<BlockKey, Integer> cache = new HashMap<>();
    private final LinkedHashSet<Integer> evictable = new LinkedHashSet<>(); // unreferenced cached blocks, LRU first
    private long hitTokens, missTokens;
    private int peakUsed;

    public BlockManager(int totalBlocks, int blockTokens, boolean prefixCaching) {
        this.totalBlocks = totalBlocks;
        this.blockTokens = blockTokens;
        this.prefixCaching = prefixCaching;
        this.refCount = new int[totalBlocks];
        this.registered = new BlockKey[totalBlocks];
        this.freeStack = new int[totalBlocks];
        for (int i = 0; i < totalBlocks; i++) freeStack[i] = totalBlocks - 1 - i; // hand out block 0 first
        this.freeCount = totalBlocks;
    }

    public int blockTokens() {
        return blockTokens;
    }

    public int totalBlocks() {
        return totalBlocks;
    }

    /** Blocks that can be handed out now: empty ones plus unreferenced cached ones. */
    public int availableBlocks() {
        return freeCount + evictable.size();
    }

    /**
     * Starts a sequence for {@code prompt}: full prompt blocks already in the prefix cache are
     * shared (their positions need no compute); the last prompt token is always left to compute,
     * since its logits are needed.
     */
    public SequenceBlocks open(int[] prompt, boolean usePrefixCache) {
        SequenceBlocks s = new SequenceBlocks();
        if (prefixCaching && usePrefixCache) {
            BlockKey parent = null;
            for (int b = 0; (b + 1) * blockTokens <= prompt.length - 1; b++) {
                BlockKey key = new BlockKey(parent, Arrays.copyOfRange(prompt, b * blockTokens, (b + 1) * blockTokens));
                Integer block = cache.get(key);
                if (block == null) break;
                BlockKey canonical = registered[block];
                retain(block);
                s.add(block, canonical);
                parent = canonical;
            }
            s.length = s.count * blockTokens;
        }
        if (usePrefixCache) {
            hitTokens += s.length;
            missTokens += prompt.length - s.length;
        }
        return s;
    }

    /**
     * Makes positions [s.length, newLength) writable: copies a shared, partially filled last block
     * first (copy-on-write) and appends blocks as needed.
     *
     * @throws KvCacheFullException if no block is free or evictable; the sequence is left as it was
     *     before the call's allocations that failed (blocks already appended stay, owned by it)
     */
    public void ensure(SequenceBlocks s, int newLength, BlockCopier copier) {
        if (s.length % blockTokens != 0 && refCount[s.last()] > 1) {
            int copy = allocate();
            copier.copy(s.last(), copy);
            release(s.last());
            s.blocks[s.count - 1] = copy;
            s.keys[s.count - 1] = null;
        }
        while ((long) s.count * blockTokens < newLength) s.add(allocate(), null);
    }

    /**
     * Records that positions [s.length, newLength) now hold K/V of {@code tokens} (the sequence's
     * tokens from position 0) and registers blocks that became full in the prefix cache.
     */
    public void commit(SequenceBlocks s, int[] tokens, int newLength) {
        int firstNewFull = s.length / blockTokens;
        s.length = newLength;
        for (int b = firstNewFull; b < newLength / blockTokens; b++) {
            BlockKey key = new BlockKey(b == 0 ? null : s.keys[b - 1],
                    Arrays.copyOfRange(tokens, b * blockTokens, (b + 1) * blockTokens));
            Integer existing = cache.get(key);
            if (existing != null) {
                s.keys[b] = registered[existing]; // same content cached elsewhere: chain children to it
            } else {
                s.keys[b] = key;
                if (prefixCaching && registered[s.blocks[b]] == null) {
                    cache.put(key, s.blocks[b]);
                    registered[s.blocks[b]] = key;
                }
            }
        }
    }

    /**
     * Releases the blocks past the one holding position {@code s.length - 1}: blocks taken for draft
     * tokens that were rejected (speculative decoding rolls back), so a sequence never holds more
     * than the blocks its committed tokens need.
     */
    public void trim(SequenceBlocks s) {
        int keep = (s.length + blockTokens - 1) / blockTokens;
        while (s.count > keep) {
            s.count--;
            release(s.blocks[s.count]);
            s.keys[s.count] = null;
        }
    }

    /** A new sequence sharing every block of {@code s} (n samples of one prompt). */
    public SequenceBlocks fork(SequenceBlocks s) {
        for (int i = 0; i < s.count; i++) retain(s.blocks[i]);
        return s.copy();
    }

    /** Releases every block of {@code s}; cached blocks stay for reuse until evicted. Idempotent. */
    public void free(SequenceBlocks s) {
        if (s.freed) return;
        s.freed = true;
        for (int i = 0; i < s.count; i++) release(s.blocks[i]);
        s.count = 0;
    }

    public KvStats stats(long bytesPerBlock) {
        int cached = evictable.size();
        int used = totalBlocks - freeCount - cached;
        return new KvStats(totalBlocks, used, cached, freeCount, peakUsed, blockTokens, hitTokens, missTokens,
                bytesPerBlock / blockTokens, (long) used * bytesPerBlock);
    }

    private int allocate() {
        int block;
        if (freeCount > 0) {
            block = freeStack[--freeCount];
        } else if (!evictable.isEmpty()) {
            block = evictable.iterator().next();
            evictable.remove(block);
            cache.remove(registered[block]);
            registered[block] = null;
        } else {
            throw new KvCacheFullException("KV cache is full: all " + totalBlocks + " blocks of " + blockTokens
                    + " tokens are in use");
        }
        refCount[block] = 1;
        peakUsed = Math.max(peakUsed, totalBlocks - freeCount - evictable.size());
        return block;
    }

    private void retain(int block) {
        if (refCount[block]++ == 0) evictable.remove(block); // a cached block comes back into use
    }

    private void release(int block) {
        if (--refCount[block] > 0) return;
        if (registered[block] != null) {
            evictable.add(block); // most recently used last
        } else {
            freeStack[freeCount++] = block;
        }
    }
}
