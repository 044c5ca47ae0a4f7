package dev.euclid.tokenizer;

/**
 * Greedy BPE merging: repeatedly merge the adjacent pair with the best rule (lowest priority
 * number; ties go to the leftmost pair) until no adjacent pair has a rule. This is the loop of
 * llama2.c {@code encode} and of Hugging Face {@code Word::merge_all}, but instead of rescanning
 * the whole sequence per merge (quadratic) it keeps candidate pairs in a heap keyed by
 * (priority, left position) over a doubly linked list of symbols, so n symbols cost O(n log n).
 *
 * <p>Heap entries are never removed when a merge changes their neighbourhood; instead an entry
 * is checked when it is popped and dropped if the pair now starting at its position no longer
 * has that priority. Every live pair always has an entry with its exact key, and positions of
 * surviving symbols keep their original order, so the first valid entry popped is exactly the
 * pair the sequential algorithm would merge next.
 */
final class BpeMerger {
    /** Looks up the rule for two adjacent symbols. */
    @FunctionalInterface
    interface Rules {
        /** {@link #rule} for merging {@code left} then {@code right}, or {@link #NONE}. */
        long find(int left, int right);
    }

    static final long NONE = -1L;
    private static final int DEAD = -1;

    private BpeMerger() {
    }

    /** Packs a rule; {@code priority} must be non-negative (lower merges first). */
    static long rule(int priority, int mergedId) {
        return ((long) priority << 32) | (mergedId & 0xFFFF_FFFFL);
    }

    /**
     * Merges {@code symbols[0..count)} in place.
     *
     * @return the number of symbols left, now in {@code symbols[0..returned)}
     */
    static int merge(int[] symbols, int count, Rules rules) {
        if (count < 2) {
            return count;
        }
        int[] prev = new int[count];
        int[] next = new int[count]; // next[i] == count marks the last symbol
        LongMinHeap heap = new LongMinHeap(count);
        for (int i = 0; i < count; i++) {
            prev[i] = i - 1;
            next[i] = i + 1;
            if (i + 1 < count) {
                long r = rules.find(symbols[i], symbols[i + 1]);
                if (r != NONE) {
                    heap.addUnordered(key(r, i));
                }
            }
        }
        heap.heapify();
        while (!heap.isEmpty()) {
            long top = heap.poll();
            int left = (int) top;
            if (symbols[left] == DEAD || next[left] == count) {
                continue;
            }
            int right = next[left];
            long r = rules.find(symbols[left], symbols[right]);
            if (r == NONE || (r >>> 32) != (top >>> 32)) {
                continue; // stale: this position's pair changed since the entry was pushed
            }
            symbols[left] = (int) r;
            symbols[right] = DEAD;
            int after = next[right];
            next[left] = after;
            if (after < count) {
                prev[after] = left;
                push(heap, rules, symbols, left, after);
            }
            if (prev[left] >= 0) {
                push(heap, rules, symbols, prev[left], left);
            }
        }
        // Position 0 is never the right half of a merge, so the list always starts there.
        int kept = 0;
        for (int i = 0; i < count; i = next[i]) {
            symbols[kept++] = symbols[i];
        }
        return kept;
    }

    private static void push(LongMinHeap heap, Rules rules, int[] symbols, int left, int right) {
        long r = rules.find(symbols[left], symbols[right]);
        if (r != NONE) {
            heap.add(key(r, left));
        }
    }

    /** Heap key: priority in the high half, left position in the low half. */
    private static long key(long rule, int position) {
        return (rule & 0xFFFF_FFFF_0000_0000L) | position;
    }
}
