package dev.euclid.tokenizer;

import java.util.Arrays;

/**
 * Open-addressing map from a pair of token ids to a long (a packed merge rule). Filled once
 * while a tokenizer loads, then only read, so it is safe to share between threads once the
 * owning tokenizer is published through a final field.
 */
final class PairTable {
    /** What {@link #get} returns for a pair with no value; equal to {@link BpeMerger#NONE}. */
    static final long ABSENT = BpeMerger.NONE;
    private static final long EMPTY = -1L; // ids are non-negative, so no real key is -1

    private long[] keys;
    private long[] values;
    private int size;

    PairTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(expected, 8) * 2 - 1) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, EMPTY);
    }

    /** Sets the value for (left, right), replacing any earlier one. */
    void put(int left, int right, long value) {
        if (2 * (size + 1) > keys.length) {
            resize();
        }
        long key = key(left, right);
        int slot = find(key);
        if (keys[slot] == EMPTY) {
            keys[slot] = key;
            size++;
        }
        values[slot] = value;
    }

    long get(int left, int right) {
        int slot = find(key(left, right));
        return keys[slot] == EMPTY ? ABSENT : values[slot];
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFF_FFFFL);
    }

    private int find(long key) {
        int mask = keys.length - 1;
        long hash = key * 0x9E37_79B9_7F4A_7C15L;
        int slot = (int) (hash ^ (hash >>> 32)) & mask;
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void resize() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
