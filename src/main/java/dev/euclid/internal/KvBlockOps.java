package dev.euclid.internal;

import java.util.Arrays;

/**
 * The KV block operations decided since the last step (copy-on-write copies, accepted draft tokens
 * moving to their positions), in the order they were decided, as {@code kv_ops} of the next
 * {@code StepDescriptor} (see euclid.h): recording one crosses no JNI, and the next step carries
 * them all out before its forward pass. Each is checked against the pool when recorded, so the
 * native check of a step cannot fail on them and they survive a step that failed for another reason.
 */
final class KvBlockOps {
    private final int blocks, blockTokens;
    private int[] ops = new int[16 * NativeApi.KV_OP_INTS];
    private int count;

    KvBlockOps(int blocks, int blockTokens) {
        this.blocks = blocks;
        this.blockTokens = blockTokens;
    }

    int count() {
        return count;
    }

    /** The recorded operations, {@link NativeApi#KV_OP_INTS} ints each. */
    int[] ints() {
        return ops;
    }

    void clear() {
        count = 0;
    }

    /** Records a copy of block {@code src} onto block {@code dst}. */
    void copyBlock(int src, int dst) {
        if (src < 0 || src >= blocks || dst < 0 || dst >= blocks) {
            throw new IllegalArgumentException("block copy " + src + " -> " + dst + " is outside the pool of " + blocks + " blocks");
        }
        add(NativeApi.KV_COPY_BLOCK, src, 0, dst, 0);
    }

    /**
     * Records moving the K/V of one sequence's tokens from slot from[i] to slot to[i] of its block
     * table (the first {@code tableLength} entries of {@code table}), in order. Checks every slot
     * before recording any.
     */
    void moveSlots(int[] table, int tableLength, int[] from, int[] to, int n) {
        if (n < 0 || n > from.length || n > to.length) throw new IllegalArgumentException("cannot move " + n + " tokens");
        if (tableLength < 0 || tableLength > table.length) {
            throw new IllegalArgumentException("block table of " + tableLength + " entries is out of range");
        }
        for (int i = 0; i < n; i++) {
            checkSlot(table, tableLength, from[i]);
            checkSlot(table, tableLength, to[i]);
        }
        for (int i = 0; i < n; i++) {
            if (from[i] == to[i]) continue;
            add(NativeApi.KV_MOVE_SLOT, table[from[i] / blockTokens], from[i] % blockTokens, table[to[i] / blockTokens],
                    to[i] % blockTokens);
        }
    }

    private void checkSlot(int[] table, int tableLength, int slot) {
        if (slot < 0 || slot / blockTokens >= tableLength) {
            throw new IllegalArgumentException("slot " + slot + " is outside a block table of " + tableLength + " blocks");
        }
        int block = table[slot / blockTokens];
        if (block < 0 || block >= blocks) {
            throw new IllegalArgumentException("block id " + block + " is outside the pool of " + blocks + " blocks");
        }
    }

    private void add(int kind, int srcBlock, int srcSlot, int dstBlock, int dstSlot) {
        int at = count * NativeApi.KV_OP_INTS;
        if (at + NativeApi.KV_OP_INTS > ops.length) ops = Arrays.copyOf(ops, ops.length * 2);
        ops[at] = kind;
        ops[at + 1] = srcBlock;
        ops[at + 2] = srcSlot;
        ops[at + 3] = dstBlock;
        ops[at + 4] = dstSlot;
        count++;
    }
}
