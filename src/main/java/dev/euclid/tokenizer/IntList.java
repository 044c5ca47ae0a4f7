package dev.euclid.tokenizer;

import java.util.Arrays;

/** Growable int array: token ids are collected without boxing. */
final class IntList {
    private int[] values;
    private int size;

    IntList(int capacity) {
        values = new int[Math.max(capacity, 4)];
    }

    void add(int value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    void addAll(int[] more) {
        for (int value : more) {
            add(value);
        }
    }

    int size() {
        return size;
    }

    int get(int index) {
        return values[index];
    }

    /** The backing array; valid up to {@link #size()}. */
    int[] array() {
        return values;
    }

    void truncate(int newSize) {
        size = newSize;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
