package dev.euclid.internal.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random operations — open (with and without the prefix cache, with room for a hole
 * or none), prompt chunks and decode steps, draft verification with rollback, fork, trim, free —
 * on small pools, so blocks run out, cached blocks are evicted, samples leave holes and copy on
 * write all the time; {@link PoolModel} checks every invariant after every operation. Seeded:
 * a failure names its seed and operations; {@code -Deuclid.blockSeed=S} replays seed S alone.
 */
class BlockManagerRandomTest {
    private static final int OPERATIONS = 4000;
    private static final int MAX_LIVE = 8;
    // Prompts share beginnings (and tokens come from a small alphabet), so prefixes repeat.
    private static final int[][] FAMILIES = {prompt(1, 30), prompt(2, 30), prompt(3, 12)};

    /** What the operations ran into, over all seeds: each must happen, or the test proves little. */
    private static final class Coverage {
        int poolFull, copies, evictions, cacheHits, holesFromCache, holesFromSharing;
    }

    @Test
    void randomOperationsKeepEveryInvariant() {
        String replay = System.getProperty("euclid.blockSeed");
        long[] seeds = replay != null ? new long[] {Long.parseLong(replay)} : new long[] {1, 2, 3, 4, 5, 6, 7, 8};
        Coverage seen = new Coverage();
        for (long seed : seeds) run(seed, seen);
        if (replay == null && (seen.poolFull == 0 || seen.copies == 0 || seen.evictions == 0 || seen.cacheHits == 0
                || seen.holesFromCache == 0 || seen.holesFromSharing == 0)) {
            throw new AssertionError("the operations missed a case: full " + seen.poolFull + ", copies " + seen.copies
                    + ", evictions " + seen.evictions + ", cache hits " + seen.cacheHits + ", holes from the cache "
                    + seen.holesFromCache + ", holes from sharing " + seen.holesFromSharing);
        }
    }

    private static void run(long seed, Coverage seen) {
        Random rnd = new Random(seed);
        int blockTokens = new int[] {2, 3, 4, 4, 8}[rnd.nextInt(5)];
        int totalBlocks = 6 + rnd.nextInt(30);
        boolean prefixCaching = rnd.nextInt(5) != 0;
        PoolModel pool = new PoolModel(totalBlocks, blockTokens, prefixCaching);
        List<int[]> finished = new ArrayList<>(); // token lists of freed sequences, to continue or recompute later
        List<String> log = new ArrayList<>();
        log.add("pool of " + totalBlocks + " blocks of " + blockTokens + ", prefix caching " + prefixCaching);
        try {
            for (int op = 0; op < OPERATIONS; op++) {
                pool.beginOperation();
                try {
                    log.add(step(pool, rnd, finished, seen));
                } catch (KvCacheFullException e) {
                    log.add("  -> pool full");
                    seen.poolFull++;
                }
                pool.check();
            }
        } catch (AssertionError | RuntimeException e) {
            System.err.println("BlockManagerRandomTest seed " + seed + ", operations:");
            for (int i = 0; i < log.size(); i++) System.err.println(i + ": " + log.get(i));
            List<String> tail = log.subList(Math.max(0, log.size() - 40), log.size());
            throw new AssertionError("seed " + seed + " failed after " + (log.size() - 1) + " operations (replay with -Deuclid.blockSeed="
                    + seed + "; all operations on stderr): " + e + "\nlast operations:\n" + String.join("\n", tail), e);
        }
        seen.copies += pool.copies();
        seen.evictions += pool.evictions();
    }

    /** One random operation; returns what it did. */
    private static String step(PoolModel pool, Random rnd, List<int[]> finished, Coverage seen) {
        List<PoolModel.Seq> live = pool.live;
        int kind = rnd.nextInt(100);
        if (live.isEmpty() || (kind < 22 && live.size() < MAX_LIVE)) return open(pool, rnd, finished, seen);
        PoolModel.Seq s = live.get(rnd.nextInt(live.size()));
        String who = "seq@" + Integer.toHexString(System.identityHashCode(s)) + " (length " + s.length() + ", "
                + s.blocks.blockCount() + " blocks, hole " + s.blocks.holeAt() + "+" + s.blocks.holeSlots() + ")";
        if (kind < 60) {
            int n = s.length() < s.size - 1 ? 1 + rnd.nextInt(Math.min(12, s.size - s.length())) : 1;
            while (s.size < s.length() + n) pool.append(s, rnd.nextInt(4));
            String what = "extend " + who + " by " + n;
            boolean hole = s.blocks.holeSlots() > 0;
            pool.extend(s, s.length() + n);
            if (!hole && s.blocks.holeSlots() > 0) seen.holesFromSharing++;
            return what;
        }
        if (kind < 70 && s.length() > 0 && s.size == s.length()) {
            int drafts = 1 + rnd.nextInt(6), accepted = rnd.nextInt(drafts + 1);
            while (s.size < s.length() + 1 + drafts) pool.append(s, rnd.nextInt(4));
            String what = "verify " + who + ": " + drafts + " drafts, " + accepted + " accepted, then trim";
            pool.verify(s, drafts, accepted);
            s.size = s.length(); // the rejected drafts' tokens are not the sequence's
            pool.check(); // the trim that rolls back releases blocks: an operation of its own
            pool.beginOperation();
            trim(pool, s);
            return what;
        }
        if (kind < 80 && s.length() > 0 && live.size() < MAX_LIVE) {
            pool.fork(s);
            return "fork " + who;
        }
        if (kind < 85) {
            trim(pool, s);
            return "trim " + who;
        }
        finished.add(Arrays.copyOf(s.tokens, s.size));
        pool.free(s);
        if (rnd.nextBoolean()) pool.manager.free(s.blocks); // freeing twice changes nothing
        return "free " + who;
    }

    private static void trim(PoolModel pool, PoolModel.Seq s) {
        pool.manager.trim(s.blocks);
        if (s.blocks.blockCount() != BlockManager.blocksFor(s.blocks.slot(s.length()), pool.blockTokens)) {
            throw new AssertionError("trim kept " + s.blocks.blockCount() + " blocks for " + s.length() + " positions");
        }
    }

    private static String open(PoolModel pool, Random rnd, List<int[]> finished, Coverage seen) {
        int[] prompt;
        int choice = rnd.nextInt(10);
        if (choice < 4 || finished.isEmpty()) {
            int[] family = FAMILIES[rnd.nextInt(FAMILIES.length)];
            prompt = extend(Arrays.copyOf(family, 1 + rnd.nextInt(family.length)), rnd, rnd.nextInt(4));
        } else if (choice < 8) {
            // A continuation or recompute of an earlier sequence: hits its blocks, a shared partial
            // block and the blocks after its hole.
            int[] earlier = finished.get(rnd.nextInt(finished.size()));
            prompt = extend(Arrays.copyOf(earlier, 1 + rnd.nextInt(earlier.length)), rnd, rnd.nextInt(6));
        } else {
            prompt = extend(new int[0], rnd, 1 + rnd.nextInt(20));
        }
        boolean usePrefixCache = rnd.nextInt(10) != 0;
        int maxPositions = rnd.nextInt(3) == 0 ? 0 : prompt.length + rnd.nextInt(30);
        PoolModel.Seq s = pool.open(prompt, usePrefixCache, maxPositions);
        if (s.length() > 0) seen.cacheHits++;
        if (s.blocks.holeSlots() > 0) seen.holesFromCache++;
        return "open " + prompt.length + " tokens " + Arrays.toString(prompt) + (usePrefixCache ? "" : " without the cache")
                + ", room " + maxPositions + " -> seq@" + Integer.toHexString(System.identityHashCode(s)) + " cached "
                + s.length() + ", hole " + s.blocks.holeAt() + "+" + s.blocks.holeSlots();
    }

    private static int[] extend(int[] head, Random rnd, int more) {
        int[] out = Arrays.copyOf(head, head.length + more);
        for (int i = head.length; i < out.length; i++) out[i] = rnd.nextInt(4);
        return out;
    }

    private static int[] prompt(int seed, int length) {
        Random rnd = new Random(seed);
        int[] out = new int[length];
        for (int i = 0; i < length; i++) out[i] = rnd.nextInt(10);
        return out;
    }
}
