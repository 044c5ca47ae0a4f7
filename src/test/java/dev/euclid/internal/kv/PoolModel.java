package dev.euclid.internal.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model of the KV pool kept beside a {@link BlockManager}, written without its code: what every
 * slot of every block holds, and which sequences are alive with which tokens. A slot holds the K/V
 * of one position, which depend exactly on the tokens up to it, so the model stores that token
 * prefix (as an id) where a step would write K/V. {@link #check()} then compares the manager's
 * bookkeeping with the model: every live sequence reads its own prefixes at its positions, reference
 * counts equal the tables holding a block, every block is exactly one of referenced, free or cached,
 * cache keys map back to their blocks, and unreferenced cached blocks leave in least-recently-used
 * order.
 */
final class PoolModel {
    /** A live sequence: its block table and its tokens from position 0. */
    static final class Seq {
        final SequenceBlocks blocks;
        int[] tokens = new int[16];
        int[] prefixIds = new int[16]; // prefixIds[p]: the id of tokens[0..p]
        int size;

        private Seq(SequenceBlocks blocks) {
            this.blocks = blocks;
        }

        int length() {
            return blocks.length();
        }
    }

    private static final int EMPTY = -1, DRAFT = -2;

    final BlockManager manager;
    final int blockTokens;
    final int totalBlocks;
    final List<Seq> live = new ArrayList<>();
    private final int[][] content;
    private final Map<Long, Integer> prefixes = new HashMap<>(); // (parent id, token) -> id; the trie of prefixes
    private int[] lruBefore = new int[0];
    private BlockKey[] keysBefore;
    private int copies, evictions;

    PoolModel(int totalBlocks, int blockTokens, boolean prefixCaching) {
        this.manager = new BlockManager(totalBlocks, blockTokens, prefixCaching);
        this.blockTokens = blockTokens;
        this.totalBlocks = totalBlocks;
        this.content = new int[totalBlocks][blockTokens];
        for (int[] block : content) Arrays.fill(block, EMPTY);
        this.keysBefore = new BlockKey[totalBlocks];
    }

    /** The copy-on-write the manager asks for ({@link BlockManager.BlockCopier}), done in the model's slots. */
    void copy(int src, int dst) {
        BlockManager.Snapshot now = manager.snapshot();
        if (now.refCounts()[src] < 1) throw new AssertionError("copy from unreferenced block " + src);
        if (now.refCounts()[dst] != 1) throw new AssertionError("copy into block " + dst + " held " + now.refCounts()[dst] + " times");
        content[dst] = content[src].clone();
        copies++;
    }

    int copies() {
        return copies;
    }

    int evictions() {
        return evictions;
    }

    /** Opens a sequence for {@code prompt} and tracks it. */
    Seq open(int[] prompt, boolean usePrefixCache, int maxPositions) {
        Seq s = new Seq(manager.open(prompt, usePrefixCache, maxPositions));
        for (int t : prompt) append(s, t);
        live.add(s);
        return s;
    }

    /** Forks {@code s}: the new sequence starts with s's computed tokens. */
    Seq fork(Seq s) {
        Seq f = new Seq(manager.fork(s.blocks));
        for (int p = 0; p < s.length(); p++) append(f, s.tokens[p]);
        live.add(f);
        return f;
    }

    void free(Seq s) {
        manager.free(s.blocks);
        live.remove(s);
    }

    void append(Seq s, int token) {
        if (s.size == s.tokens.length) {
            s.tokens = Arrays.copyOf(s.tokens, s.size * 2);
            s.prefixIds = Arrays.copyOf(s.prefixIds, s.size * 2);
        }
        int parent = s.size == 0 ? 0 : s.prefixIds[s.size - 1];
        s.tokens[s.size] = token;
        s.prefixIds[s.size] = prefixes.computeIfAbsent(((long) parent << 32) | token, k -> prefixes.size() + 1);
        s.size++;
    }

    /** Runs a step over positions [s.length(), newLength) (tokens must exist) and commits them. */
    void extend(Seq s, int newLength) {
        manager.ensure(s.blocks, newLength, s.tokens, this::copy);
        write(s, s.length(), newLength, false);
        manager.commit(s.blocks, s.tokens, newLength);
    }

    /**
     * Verifies {@code drafts} draft tokens after the root at position s.length(), keeping the first
     * {@code accepted}: the rejected drafts' slots hold garbage and the accepted K/V moved to their
     * positions. (The blocks only rejected drafts used are given back by a trim after it.)
     */
    void verify(Seq s, int drafts, int accepted) {
        int root = s.length();
        manager.ensure(s.blocks, root + 1 + drafts, s.tokens, this::copy);
        write(s, root + 1, root + 1 + drafts, true);
        write(s, root, root + 1 + accepted, false);
        manager.commit(s.blocks, s.tokens, root + 1 + accepted);
    }

    /** Writes positions [from, to) of s into their slots, as a step does: their prefixes, or garbage for drafts. */
    private void write(Seq s, int from, int to, boolean draft) {
        for (int p = from; p < to; p++) {
            int slot = s.blocks.slot(p);
            if (slot / blockTokens >= s.blocks.blockCount()) {
                throw new AssertionError("position " + p + " (slot " + slot + ") is past the " + s.blocks.blockCount()
                        + " blocks ensured");
            }
            content[s.blocks.table()[slot / blockTokens]][slot % blockTokens] = draft ? DRAFT : s.prefixIds[p];
        }
    }

    /** Checks every invariant; call {@link #beginOperation()} before each operation. */
    void check() {
        BlockManager.Snapshot snap = manager.snapshot();
        int[] refs = new int[totalBlocks];
        for (Seq s : live) checkSequence(s, refs);
        for (int b = 0; b < totalBlocks; b++) {
            if (snap.refCounts()[b] != refs[b]) {
                throw new AssertionError("block " + b + " has reference count " + snap.refCounts()[b] + " but " + refs[b]
                        + " tables hold it");
            }
        }
        Set<Integer> free = distinct(snap.freeBlocks(), "free list");
        Set<Integer> evictable = distinct(snap.evictableLruFirst(), "evictable list");
        int used = 0, cached = 0;
        for (int b = 0; b < totalBlocks; b++) {
            boolean isFree = free.contains(b), isEvictable = evictable.contains(b), referenced = refs[b] > 0;
            if ((isFree ? 1 : 0) + (isEvictable ? 1 : 0) + (referenced ? 1 : 0) != 1) {
                throw new AssertionError("block " + b + " is not exactly one of free (" + isFree + "), evictable ("
                        + isEvictable + ") and referenced (" + refs[b] + ")");
            }
            if (isFree && snap.keys()[b] != null) throw new AssertionError("free block " + b + " is still cached");
            if (isEvictable && snap.keys()[b] == null) throw new AssertionError("evictable block " + b + " is not cached");
            if (referenced) used++;
            if (snap.keys()[b] != null) {
                cached++;
                if (snap.cacheLookup()[b] != b) {
                    throw new AssertionError("block " + b + "'s key finds block " + snap.cacheLookup()[b]
                            + " in the prefix cache (keys must be unique)");
                }
            }
        }
        if (snap.cacheEntries() != cached) {
            throw new AssertionError("the prefix cache has " + snap.cacheEntries() + " entries for " + cached + " cached blocks");
        }
        var stats = manager.stats(blockTokens);
        if (stats.usedBlocks() != used || stats.freeBlocks() != free.size() || stats.cachedBlocks() != evictable.size()
                || stats.usedBlocks() + stats.freeBlocks() + stats.cachedBlocks() != totalBlocks) {
            throw new AssertionError("stats " + stats + " disagree with " + used + " used, " + free.size() + " free, "
                    + evictable.size() + " cached of " + totalBlocks);
        }
        if (manager.availableBlocks() != free.size() + evictable.size()) {
            throw new AssertionError("available blocks " + manager.availableBlocks() + " != free + evictable");
        }
        checkLeastRecentlyUsed(snap, refs);
    }

    /** Remembers the LRU order and keys before an operation, for {@link #check()}. */
    void beginOperation() {
        BlockManager.Snapshot snap = manager.snapshot();
        lruBefore = snap.evictableLruFirst();
        keysBefore = snap.keys();
    }

    private void checkSequence(Seq s, int[] refs) {
        SequenceBlocks b = s.blocks;
        Set<Integer> own = new HashSet<>();
        for (int i = 0; i < b.blockCount(); i++) {
            int block = b.table()[i];
            if (block < 0 || block >= totalBlocks) throw new AssertionError("block id " + block + " out of the pool");
            if (!own.add(block)) throw new AssertionError("a table holds block " + block + " twice");
            refs[block]++;
        }
        if (b.holeSlots() < 0 || b.holeSlots() >= blockTokens) throw new AssertionError("hole of " + b.holeSlots() + " slots");
        if (b.holeSlots() > 0 && (b.holeAt() % blockTokens == 0 || (b.holeAt() + b.holeSlots()) % blockTokens != 0)) {
            throw new AssertionError("hole [" + b.holeAt() + ", +" + b.holeSlots() + ") does not end a block");
        }
        if (b.length() > s.size) throw new AssertionError("length " + b.length() + " past the " + s.size + " tokens");
        if (b.blockCount() < BlockManager.blocksFor(b.slot(b.length()), blockTokens)) {
            throw new AssertionError(b.blockCount() + " blocks cannot hold " + b.length() + " positions");
        }
        for (int p = 0; p < b.length(); p++) {
            int slot = b.slot(p);
            int held = content[b.table()[slot / blockTokens]][slot % blockTokens];
            if (held != s.prefixIds[p]) {
                throw new AssertionError("position " + p + " (slot " + slot + ", block " + b.table()[slot / blockTokens]
                        + ") holds " + describe(held) + ", not the sequence's prefix " + s.prefixIds[p]);
            }
        }
    }

    /**
     * Unreferenced cached blocks keep their order and newly unreferenced ones come last; blocks that
     * left the list without being reused under the same key were evicted, oldest first, and only
     * once no free block was left.
     */
    private void checkLeastRecentlyUsed(BlockManager.Snapshot snap, int[] refs) {
        int[] now = snap.evictableLruFirst();
        Set<Integer> nowSet = new HashSet<>();
        for (int b : now) nowSet.add(b);
        List<Integer> stayed = new ArrayList<>(), evicted = new ArrayList<>(), notRetained = new ArrayList<>();
        for (int b : lruBefore) {
            boolean retained = refs[b] > 0 && snap.keys()[b] != null && snap.keys()[b] == keysBefore[b];
            if (nowSet.contains(b)) stayed.add(b);
            else if (!retained) evicted.add(b);
            if (!retained) notRetained.add(b);
        }
        for (int i = 0; i < stayed.size(); i++) {
            if (now[i] != stayed.get(i)) {
                throw new AssertionError("LRU order " + Arrays.toString(now) + " does not keep " + stayed + " first");
            }
        }
        if (!notRetained.subList(0, evicted.size()).equals(evicted)) {
            throw new AssertionError("evicted " + evicted + " but the least recently used were " + notRetained);
        }
        if (!evicted.isEmpty() && snap.freeBlocks().length > 0) {
            throw new AssertionError("evicted " + evicted + " while " + snap.freeBlocks().length + " blocks were free");
        }
        evictions += evicted.size();
    }

    private static Set<Integer> distinct(int[] blocks, String what) {
        Set<Integer> set = new HashSet<>();
        for (int b : blocks) if (!set.add(b)) throw new AssertionError("the " + what + " holds block " + b + " twice");
        return set;
    }

    private static String describe(int held) {
        return held == EMPTY ? "nothing" : held == DRAFT ? "a rejected draft's K/V" : "prefix " + held;
    }
}
