package dev.euclid.internal.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Rolling back rejected draft tokens gives back the blocks only they used. */
class BlockManagerTrimTest {
    @Test
    void blocksPastTheCommittedLengthAreReleased() {
        BlockManager m = new BlockManager(16, 4, true);
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
        SequenceBlocks s = m.open(new int[] {1, 2, 3, 4, 5}, true, 0);
        m.ensure(s, 5, tokens, (a, b) -> {});
        m.commit(s, tokens, 5);
        int before = m.availableBlocks();
        m.ensure(s, 13, tokens, (a, b) -> {}); // a root and 7 draft tokens: positions up to 12, blocks 0-3
        assertEquals(4, s.blockCount());
        m.commit(s, tokens, 7); // two drafts accepted: positions 5 and 6
        m.trim(s);
        assertEquals(2, s.blockCount());
        assertEquals(before, m.availableBlocks());
        m.trim(s); // nothing more to give back
        assertEquals(2, s.blockCount());
        m.free(s);
        assertEquals(16, m.availableBlocks());
    }
}
