package dev.euclid.internal.kv;

import java.util.Arrays;

/**
 * One sequence's block table: block ids in slot order, and how many positions hold K/V.
 *
 * <p>Position p keeps its K/V in slot p (block p / blockTokens), except after a hole: a sample of a
 * shared prompt whose last block is only partly filled leaves that block's free slots
 * [holeAt, holeAt + holeSlots) empty and keeps positions from holeAt on holeSlots slots later, so
 * every sample reads the one shared partial block instead of holding a copy of it. A sequence has at
 * most one hole.
 */
public final class SequenceBlocks {
    int[] blocks = new int[8];
    BlockKey[] keys = new BlockKey[8];
    int count;
    /** Positions [0, length) have their K/V in the blocks. */
    int length;
    int holeAt, holeSlots;
    boolean freed;

    void add(int block, BlockKey key) {
        if (count == blocks.length) {
            blocks = Arrays.copyOf(blocks, count * 2);
            keys = Arrays.copyOf(keys, count * 2);
        }
        blocks[count] = block;
        keys[count++] = key;
    }

    /** A sequence with the same positions, hole and first {@code blocks} blocks (not retained). */
    SequenceBlocks copy(int blocks) {
        SequenceBlocks c = new SequenceBlocks();
        c.blocks = Arrays.copyOf(this.blocks, Math.max(8, blocks));
        c.keys = Arrays.copyOf(keys, Math.max(8, blocks));
        c.count = blocks;
        c.length = length;
        c.holeAt = holeAt;
        c.holeSlots = holeSlots;
        return c;
    }

    /** The slot holding position {@code position}'s K/V (see the class comment). */
    public int slot(int position) {
        return position < holeAt ? position : position + holeSlots;
    }

    /** The position whose K/V block {@code block}'s first used slot holds. */
    int firstPosition(int block, int blockTokens) {
        int first = block * blockTokens;
        return first < holeAt + holeSlots ? first : first - holeSlots;
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

    /** The first position after the hole (0 without one). */
    public int holeAt() {
        return holeAt;
    }

    /** Empty slots of the hole (0 without one), fewer than a block. */
    public int holeSlots() {
        return holeSlots;
    }
}
