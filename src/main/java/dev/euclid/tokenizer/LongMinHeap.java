package dev.euclid.tokenizer;

import java.util.Arrays;

/**
 * Binary min-heap of primitive longs. BPE merging pushes millions of candidates for
 * long inputs; boxing them in a {@code PriorityQueue<Long>} would triple the memory.
 */
final class LongMinHeap {
    private long[] heap;
    private int size;

    LongMinHeap(int capacity) {
        heap = new long[Math.max(capacity, 4)];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Appends without restoring heap order; call {@link #heapify()} before polling. */
    void addUnordered(long value) {
        grow();
        heap[size++] = value;
    }

    /** Restores heap order in O(n) after {@link #addUnordered}. */
    void heapify() {
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    void add(long value) {
        grow();
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= value) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = value;
    }

    long poll() {
        long top = heap[0];
        heap[0] = heap[--size];
        siftDown(0);
        return top;
    }

    private void siftDown(int i) {
        long value = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (value <= heap[child]) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = value;
    }

    private void grow() {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, heap.length + (heap.length >> 1));
        }
    }
}
