package dev.euclid.internal.kv;

import dev.euclid.KvStats;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Owns the KV block pool's bookkeeping (the policy; the native cache only stores rows): which
 * blocks are free, reference counts of shared blocks, what happens to a shared partial block (a
 * hole after it, or copy-on-write; see {@link SequenceBlocks}), and the prefix cache — blocks keyed
 * by their whole prefix, kept after their sequences end and evicted least-recently-used when a block
 * is needed. Full blocks are keyed once full; a shared partial block is keyed by its filled part
 * when samples leave a hole after it, so a continuation of one sample finds it, and the sample's
 * own blocks after it, again. Equal keys mean equal K/V, since K/V depend only on the tokens and
 * positions before them. Nothing else hands out blocks. Not thread-safe: used from the engine's one
 * step thread.
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

    /** Blocks of {@code blockTokens} slots that hold {@code slots} slots: every block count rounds up here. */
    public static long blocksFor(long slots, int blockTokens) {
        return (slots + blockTokens - 1) / blockTokens;
    }

    /** Blocks of this pool that hold {@code slots} slots. */
    public long blocksFor(long slots) {
        return blocksFor(slots, blockTokens);
    }

    /**
     * Whether a sequence of {@code tokens} positions may start (or restart after preemption) now:
     * its blocks plus one more are free or evictable. The spare block is its first step's room to
     * grow (the block after a full last block, or the copy of a shared partial one), so a sequence
     * just admitted is not at once the one preempted.
     */
    public boolean canAdmit(int tokens) {
        return availableBlocks() >= blocksFor(tokens) + 1;
    }

    /**
     * The most blocks a request of {@code samples} samples of a {@code promptLength}-token prompt
     * holds while each sample reaches {@code positions} positions: the prompt's blocks (its partial
     * last block too) are shared, and each sample owns the rest from a copy of that partial block on.
     * That bounds the other layout too (samples sharing the partial block and leaving a hole after it
     * own fewer blocks), so a request within {@link #totalBlocks()} fits alone whichever layout it
     * ends up with.
     */
    public long blocksForRequest(int promptLength, long positions, int samples) {
        long fullPromptBlocks = promptLength / blockTokens;
        return blocksFor(promptLength) + samples * (blocksFor(positions) - fullPromptBlocks);
    }

    /**
     * Starts a sequence for {@code prompt}: prompt blocks already in the prefix cache are shared
     * (their positions need no compute); the last prompt token is always left to compute, since its
     * logits are needed. After the full blocks, a cached partially filled block (the shared last
     * prompt block of earlier samples, see {@link SequenceBlocks}) is shared too, leaving its hole,
     * when the sequence still fits the pool with the hole's slots: {@code maxPositions} is the most
     * positions it will hold (0: never leave a hole here).
     */
    public SequenceBlocks open(int[] prompt, boolean usePrefixCache, int maxPositions) {
        SequenceBlocks s = new SequenceBlocks();
        if (prefixCaching && usePrefixCache) {
            int limit = prompt.length - 1;
            BlockKey parent = null;
            while (true) {
                int pos = s.length, n = blockTokens;
                Integer block = pos + n <= limit ? cached(parent, prompt, pos, n) : null;
                if (block == null && s.holeSlots == 0 && maxPositions > 0) {
                    for (n = Math.min(blockTokens - 1, limit - pos); n >= 1; n--) {
                        block = cached(parent, prompt, pos, n);
                        if (block != null) break;
                    }
                    // The hole's slots must fit the pool too.
                    if (block != null && blocksFor(maxPositions + blockTokens - n) > totalBlocks) block = null;
                }
                if (block == null) break;
                BlockKey canonical = registered[block];
                retain(block);
                s.add(block, canonical);
                parent = canonical;
                s.length = pos + n;
                if (n < blockTokens) {
                    s.holeAt = s.length;
                    s.holeSlots = blockTokens - n;
                }
            }
        }
        if (usePrefixCache) {
            hitTokens += s.length;
            missTokens += prompt.length - s.length;
        }
        return s;
    }

    /**
     * Makes positions [s.length, newLength) writable and appends blocks as needed. A shared,
     * partially filled last block is never written: the sequence either leaves a hole after it (its
     * own positions start at the next block) or copies it first (copy-on-write) — the hole when it
     * wastes fewer slots than the copies of its filled part would repeat, as for n samples of a
     * prompt, and only if the sequence has no hole yet.
     *
     * @param tokens the sequence's tokens from position 0 (they name the block a hole leaves)
     * @throws KvCacheFullException if no block is free or evictable; the sequence is left as it was
     *     before the call's allocations that failed (blocks already appended stay, owned by it)
     */
    public void ensure(SequenceBlocks s, int newLength, int[] tokens, BlockCopier copier) {
        int fill = s.slot(s.length) % blockTokens;
        int b = s.slot(s.length) / blockTokens; // the block position s.length goes to, if partly filled
        int sharers = fill == 0 ? 1 : refCount[s.blocks[b]];
        if (sharers > 1 && s.holeSlots == 0 && blockTokens - fill < (sharers - 1) * fill) {
            s.holeAt = s.length;
            s.holeSlots = blockTokens - fill;
            keyBlock(s, b, new BlockKey(b == 0 ? null : s.keys[b - 1], Arrays.copyOfRange(tokens, b * blockTokens, s.length)));
        } else if (sharers > 1) {
            int copy = allocate();
            copier.copy(s.blocks[b], copy);
            release(s.blocks[b]);
            s.blocks[b] = copy;
            s.keys[b] = null;
        }
        while (s.count < blocksFor(s.slot(newLength))) s.add(allocate(), null);
    }

    /**
     * Records that positions [s.length, newLength) now hold K/V of {@code tokens} (the sequence's
     * tokens from position 0) and registers blocks that became full in the prefix cache.
     */
    public void commit(SequenceBlocks s, int[] tokens, int newLength) {
        int firstNewFull = s.slot(s.length) / blockTokens;
        s.length = newLength;
        for (int b = firstNewFull; b < s.slot(newLength) / blockTokens; b++) {
            int from = s.firstPosition(b, blockTokens);
            keyBlock(s, b, new BlockKey(b == 0 ? null : s.keys[b - 1], Arrays.copyOfRange(tokens, from, from + blockTokens)));
        }
    }

    /**
     * Gives block b of s its key and caches the block under it, unless the same content is cached
     * already: then s chains its later keys to that block's key, so they match other sequences'.
     */
    private void keyBlock(SequenceBlocks s, int b, BlockKey key) {
        Integer existing = cache.get(key);
        if (existing != null) {
            s.keys[b] = registered[existing];
        } else {
            s.keys[b] = key;
            if (prefixCaching && registered[s.blocks[b]] == null) {
                cache.put(key, s.blocks[b]);
                registered[s.blocks[b]] = key;
            }
        }
    }

    /**
     * Releases the blocks past the one holding position {@code s.length - 1}: blocks taken for draft
     * tokens that were rejected (speculative decoding rolls back), so a sequence never holds more
     * than the blocks its committed tokens need.
     */
    public void trim(SequenceBlocks s) {
        int keep = (int) blocksFor(s.slot(s.length));
        while (s.count > keep) {
            s.count--;
            release(s.blocks[s.count]);
            s.keys[s.count] = null;
        }
    }

    /**
     * A new sequence sharing the blocks of {@code s}'s computed positions (n samples of one prompt).
     * Blocks {@code s} holds past them (reserved by an {@link #ensure} whose step did not run) stay
     * its own: both sequences would write their next positions there.
     */
    public SequenceBlocks fork(SequenceBlocks s) {
        SequenceBlocks f = s.copy((int) blocksFor(s.slot(s.length)));
        for (int i = 0; i < f.count; i++) retain(f.blocks[i]);
        return f;
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

    /**
     * The pool's bookkeeping as it is now, for tests that check it against a model of the pool.
     *
     * @param keys the key each block is cached under, or null
     * @param cacheLookup the block the prefix cache finds under block b's key (-1 if b is not cached)
     */
    record Snapshot(int[] refCounts, int[] freeBlocks, int[] evictableLruFirst, BlockKey[] keys, int[] cacheLookup,
            int cacheEntries) {}

    Snapshot snapshot() {
        int[] lookup = new int[totalBlocks];
        for (int b = 0; b < totalBlocks; b++) {
            Integer found = registered[b] == null ? null : cache.get(registered[b]);
            lookup[b] = found == null ? -1 : found;
        }
        return new Snapshot(refCount.clone(), Arrays.copyOf(freeStack, freeCount),
                evictable.stream().mapToInt(Integer::intValue).toArray(), registered.clone(), lookup, cache.size());
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

    /** The cached block holding tokens[from, from + n) after the block keyed {@code parent}, or null. */
    private Integer cached(BlockKey parent, int[] tokens, int from, int n) {
        return cache.get(new BlockKey(parent, Arrays.copyOfRange(tokens, from, from + n)));
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
