package dev.euclid.internal.kv;

import java.util.Arrays;

/** One sequence's block table: block ids in position order, and how many positions hold K/V. */
public final class SequenceBlocks {
    int[] blocks = new int[8];
    BlockKey[] keys = new BlockKey[8];
    int count;
    /** Positions [0, length) have their K/V in the blocks. */
    int length;
    boolean freed;

    int last() {
        return blocks[count - 1];
    }

    void add(int block, BlockKey key) {
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, count * 2);
            keys = Arrays.copyOf(keys, count * 2);
        }
        blocks[count] = block;
        keys[count++] = key;
    }

    SequenceBlocks copy() {
        SequenceBlocks c = new SequenceBlocks();
        c.blocks = blocks.clone();
        c.keys = keys.clone();
        c.count = count;
        c.length = length;
        return c;
    }

    /** The block table as passed to the native step (valid entries: {@link #blockCount()}). */
    public int[] table() {
        return blocks;
    }

    public int blockCount() {
        return count;
    }

    /** Positions whose K/V are already in the cache (prompt tokens found in the prefix cache included). */
    public int length() {
        return length;
    }
}
