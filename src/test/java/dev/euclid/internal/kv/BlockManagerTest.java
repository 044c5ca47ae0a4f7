package dev.euclid.internal.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The block manager's policies one at a time, on blocks of 4 tokens: samples sharing a partial
 * block with a hole after it, copy-on-write, prefix-cache hits, LRU eviction, reference counts,
 * a full pool, and the block arithmetic admission relies on. {@link PoolModel} checks the whole
 * pool after each step.
 */
class BlockManagerTest {
    private static final int[] PROMPT = {10, 11, 12, 13, 14, 15}; // a full block and 2 tokens of the next

    private static int[] tokens(int... ids) {
        return ids;
    }

    /** Opens PROMPT and computes it, as a request's first step does; returns the sequence. */
    private static PoolModel.Seq computed(PoolModel pool, int[] prompt) {
        PoolModel.Seq s = pool.open(prompt, true, 0);
        pool.extend(s, prompt.length);
        pool.check();
        return s;
    }

    private static void decode(PoolModel pool, PoolModel.Seq s, int token) {
        pool.append(s, token);
        pool.beginOperation();
        pool.extend(s, s.size);
        pool.check();
    }

    @Test
    void samplesOfOnePromptShareItsPartialBlockAndLeaveAHoleAfterIt() {
        PoolModel pool = new PoolModel(16, 4, true);
        PoolModel.Seq first = computed(pool, PROMPT);
        List<PoolModel.Seq> samples = new ArrayList<>(List.of(first));
        for (int i = 1; i < 4; i++) samples.add(pool.fork(first));
        pool.check();
        int shared = first.blocks.table()[1];
        assertEquals(4, pool.manager.snapshot().refCounts()[shared]);
        for (int i = 0; i < samples.size(); i++) {
            PoolModel.Seq s = samples.get(i);
            pool.append(s, 20 + i);
            pool.extend(s, 7);
            pool.check();
            // 2 empty slots are cheaper than 3 copies of 2 filled ones: a hole, and the sample's own block after it.
            assertEquals(6, s.blocks.holeAt());
            assertEquals(2, s.blocks.holeSlots());
            assertEquals(8, s.blocks.slot(6));
            assertEquals(3, s.blocks.blockCount());
            assertEquals(shared, s.blocks.table()[1]);
        }
        assertEquals(0, pool.copies());
        assertEquals(4, pool.manager.snapshot().refCounts()[shared]);
        assertEquals(16 - 2 - 4, pool.manager.availableBlocks());

        // A continuation of sample 2 finds the shared partial block and the sample's block after the hole.
        int[] sample2 = Arrays.copyOf(samples.get(2).tokens, 7);
        for (PoolModel.Seq s : new ArrayList<>(pool.live)) pool.free(s);
        pool.check();
        int[] continuation = Arrays.copyOf(sample2, 12);
        Arrays.fill(continuation, 7, 12, 30);
        PoolModel.Seq again = pool.open(continuation, true, 40);
        pool.check();
        assertEquals(6, again.blocks.holeAt());
        assertEquals(2, again.blocks.holeSlots());
        assertEquals(6, again.length()); // the own block after the hole holds only position 6: not full, not cached
        assertEquals(shared, again.blocks.table()[1]);
        pool.extend(again, 12);
        pool.check();
        pool.free(again);
        PoolModel.Seq third = pool.open(Arrays.copyOf(continuation, 12), true, 40);
        pool.check();
        assertEquals(10, third.length()); // positions 6..9 fill the block after the hole: cached now
    }

    @Test
    void aHoleIsNotSharedWhenItDoesNotFitThePool() {
        PoolModel pool = new PoolModel(4, 4, true);
        PoolModel.Seq first = computed(pool, PROMPT);
        PoolModel.Seq other = pool.fork(first);
        pool.append(first, 20);
        pool.extend(first, 7); // 2 sharers, 2 filled slots: 2 empty slots are not cheaper than one copy of 2
        pool.check();
        assertEquals(0, first.blocks.holeSlots());
        assertEquals(1, pool.copies());
        pool.free(first);
        pool.free(other);
        // The partial block is not cached (it never had a hole after it): only the full block is found.
        PoolModel.Seq again = pool.open(Arrays.copyOf(PROMPT, 7), true, 12);
        pool.check();
        assertEquals(4, again.length());
        assertEquals(0, again.blocks.holeSlots());
        pool.free(again);

        // A cached partial block is shared only if the sequence's room and the hole's 2 slots fit 5 blocks.
        PoolModel big = new PoolModel(5, 4, true);
        PoolModel.Seq a = computed(big, PROMPT);
        for (int i = 0; i < 2; i++) big.fork(a); // 3 samples: a 2-slot hole beats 2 copies of 2 positions
        for (PoolModel.Seq s : new ArrayList<>(big.live)) {
            big.append(s, 21);
            big.extend(s, 7);
        }
        big.check();
        for (PoolModel.Seq s : new ArrayList<>(big.live)) big.free(s);
        assertEquals(6, big.open(Arrays.copyOf(PROMPT, 8), true, 18).length());
        assertEquals(4, big.open(Arrays.copyOf(PROMPT, 8), true, 19).length());
        big.check();
    }

    @Test
    void aSharedPartialBlockIsCopiedWhenTheHoleWouldWasteMore() {
        PoolModel pool = new PoolModel(8, 4, true);
        PoolModel.Seq first = computed(pool, tokens(10, 11, 12, 13, 14)); // one token in the shared block
        PoolModel.Seq second = pool.fork(first);
        int shared = first.blocks.table()[1];
        pool.append(first, 20);
        pool.beginOperation();
        pool.extend(first, 6);
        pool.check();
        assertEquals(1, pool.copies());
        assertNotEquals(shared, first.blocks.table()[1]);
        assertEquals(0, first.blocks.holeSlots());
        assertEquals(1, pool.manager.snapshot().refCounts()[shared]);
        // The other sample now holds the block alone and writes in place.
        decode(pool, second, 21);
        assertEquals(1, pool.copies());
        assertEquals(shared, second.blocks.table()[1]);

        // A sequence that already has a hole copies instead of leaving a second one.
        PoolModel holes = new PoolModel(16, 4, true);
        PoolModel.Seq a = computed(holes, PROMPT);
        PoolModel.Seq b = holes.fork(a), b2 = holes.fork(a);
        for (PoolModel.Seq s : List.of(a, b, b2)) {
            holes.append(s, 30);
            holes.extend(s, 7);
        }
        holes.check();
        assertEquals(2, a.blocks.holeSlots());
        PoolModel.Seq c = holes.fork(a); // shares a's block after the hole, 1 position filled
        holes.append(a, 31);
        holes.extend(a, 8);
        holes.check();
        assertEquals(1, holes.copies());
        assertEquals(6, a.blocks.holeAt());
        assertEquals(2, c.blocks.holeSlots());
    }

    @Test
    void prefixCacheSharesFullBlocksAndLeavesTheLastPromptTokenToCompute() {
        PoolModel pool = new PoolModel(8, 4, true);
        int[] prompt = tokens(1, 2, 3, 4, 5, 6, 7, 8, 9);
        PoolModel.Seq s = computed(pool, prompt);
        int[] table = Arrays.copyOf(s.blocks.table(), 2);
        pool.free(s);
        assertEquals(new kvStats(0, 2, 6), kvStats.of(pool.manager));

        PoolModel.Seq hit = pool.open(prompt, true, 0);
        pool.check();
        assertEquals(8, hit.length());
        assertArrayEquals(table, Arrays.copyOf(hit.blocks.table(), 2));
        // Exactly two blocks: the last token's logits are needed, so it is computed, never found.
        PoolModel.Seq eight = pool.open(Arrays.copyOf(prompt, 8), true, 0);
        pool.check();
        assertEquals(4, eight.length());
        PoolModel.Seq uncached = pool.open(prompt, false, 0);
        assertEquals(0, uncached.length());
        PoolModel.Seq otherStart = pool.open(tokens(9, 2, 3, 4, 5, 6, 7, 8, 9), true, 0);
        assertEquals(0, otherStart.length()); // a block's key is its whole prefix, not its own tokens
        pool.check();
        var stats = pool.manager.stats(4);
        assertEquals(8 + 4, stats.prefixHitTokens()); // a sequence opened without the cache counts neither
        assertEquals(9 + 1 + 4 + 9, stats.prefixMissTokens());
        assertEquals(2, pool.manager.snapshot().refCounts()[table[0]]);
        assertEquals(1, pool.manager.snapshot().refCounts()[table[1]]);

        PoolModel off = new PoolModel(8, 4, false);
        off.free(computed(off, prompt));
        assertEquals(0, off.open(prompt, true, 0).length());
        off.check();
    }

    @Test
    void unreferencedCachedBlocksAreEvictedLeastRecentlyUsedFirst() {
        PoolModel pool = new PoolModel(6, 4, true);
        int[] a = tokens(1, 1, 1, 1, 2, 2, 2, 2, 3);
        int[] b = tokens(5, 5, 5, 5, 6, 6, 6, 6, 7);
        PoolModel.Seq sa = computed(pool, a);
        PoolModel.Seq sb = computed(pool, b);
        int[] aBlocks = Arrays.copyOf(sa.blocks.table(), 2), bBlocks = Arrays.copyOf(sb.blocks.table(), 2);
        pool.free(sa); // the partial third blocks were never cached: they go back to the free list
        pool.free(sb);
        assertEquals(new kvStats(0, 4, 2), kvStats.of(pool.manager));
        // Using a's blocks again makes them the most recently used.
        pool.beginOperation();
        PoolModel.Seq reused = pool.open(a, true, 0);
        pool.check();
        pool.beginOperation();
        pool.free(reused);
        pool.check();
        assertArrayEquals(new int[] {bBlocks[0], bBlocks[1], aBlocks[0], aBlocks[1]},
                pool.manager.snapshot().evictableLruFirst());

        PoolModel.Seq other = pool.open(tokens(9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9), true, 0);
        pool.beginOperation();
        pool.extend(other, 16); // 4 blocks: the 2 free ones, then b's two, oldest first
        pool.check();
        assertEquals(new kvStats(4, 2, 0), kvStats.of(pool.manager));
        pool.beginOperation();
        assertEquals(8, pool.open(a, true, 0).length());
        assertEquals(0, pool.open(b, true, 0).length());
        pool.check();
    }

    @Test
    void referenceCountsFollowTheTablesHoldingABlock() {
        PoolModel pool = new PoolModel(8, 4, false);
        PoolModel.Seq s = computed(pool, tokens(1, 2, 3, 4, 5, 6, 7, 8));
        PoolModel.Seq f1 = pool.fork(s), f2 = pool.fork(f1);
        pool.check();
        int block = s.blocks.table()[0];
        assertEquals(3, pool.manager.snapshot().refCounts()[block]);
        pool.free(f1);
        pool.manager.free(f1.blocks); // idempotent
        pool.check();
        assertEquals(2, pool.manager.snapshot().refCounts()[block]);
        pool.free(s);
        assertEquals(new kvStats(2, 0, 6), kvStats.of(pool.manager));
        pool.free(f2); // the last holder: without prefix caching, straight back to the free list
        pool.check();
        assertEquals(new kvStats(0, 0, 8), kvStats.of(pool.manager));
    }

    @Test
    void aFullPoolThrowsAndLeavesEverySequenceUsable() {
        PoolModel pool = new PoolModel(3, 4, true);
        PoolModel.Seq s = computed(pool, tokens(1, 2, 3, 4, 5));
        PoolModel.Seq t = pool.open(tokens(7, 7, 7, 7, 7), true, 0);
        pool.beginOperation();
        KvCacheFullException full = assertThrows(KvCacheFullException.class, () -> pool.extend(t, 5));
        assertTrue(full.getMessage().contains("all 3 blocks of 4 tokens"), full.getMessage());
        pool.check();
        assertEquals(1, t.blocks.blockCount()); // the block it got stays its own
        assertEquals(0, t.length());
        pool.free(s);
        pool.beginOperation();
        pool.extend(t, 5);
        pool.check();
        PoolModel.Seq f = pool.fork(t);
        pool.check();
        assertEquals(2, f.blocks.blockCount());
    }

    @Test
    void aForkSharesOnlyTheBlocksOfComputedPositions() {
        PoolModel pool = new PoolModel(4, 4, true);
        PoolModel.Seq s = computed(pool, tokens(1, 2, 3, 4));
        pool.manager.ensure(s.blocks, 12, s.tokens, pool::copy); // a step that did not run: blocks 1 and 2 reserved
        PoolModel.Seq f = pool.fork(s);
        pool.check();
        assertEquals(3, s.blocks.blockCount());
        assertEquals(1, f.blocks.blockCount());
        decode(pool, s, 5);
        decode(pool, f, 6);
        assertNotEquals(s.blocks.table()[1], f.blocks.table()[1]);
    }

    @Test
    void blockArithmeticRoundsUpAndAdmissionKeepsASpareBlock() {
        assertEquals(0, BlockManager.blocksFor(0, 16));
        assertEquals(1, BlockManager.blocksFor(1, 16));
        assertEquals(1, BlockManager.blocksFor(16, 16));
        assertEquals(2, BlockManager.blocksFor(17, 16));
        assertEquals(268_435_456L, BlockManager.blocksFor(4_294_967_296L, 16));
        BlockManager m = new BlockManager(4, 16, true);
        assertTrue(m.canAdmit(48)); // 3 blocks and a spare
        assertFalse(m.canAdmit(49));
        SequenceBlocks s = m.open(new int[20], true, 0);
        m.ensure(s, 20, new int[20], (a, b) -> {});
        assertTrue(m.canAdmit(16));
        assertFalse(m.canAdmit(17));
        // A prompt of 20 tokens (one full block shared, the partial one copied per sample) and
        // 3 samples of 40 positions: 2 shared + 3 x (3 - 1) own.
        assertEquals(8, m.blocksForRequest(20, 40, 3));
        assertEquals(4, m.blocksForRequest(20, 40, 1)); // a bound: one sample would in fact keep the partial block
        assertEquals(2, m.blocksForRequest(32, 32, 5)); // nothing past the prompt's full blocks
    }

    /** Used, cached and free blocks, from the manager's stats. */
    private record kvStats(int used, int cached, int free) {
        static kvStats of(BlockManager m) {
            var s = m.stats(4);
            return new kvStats(s.usedBlocks(), s.cachedBlocks(), s.freeBlocks());
        }
    }
}
