package dev.euclid.internal.spec;

import java.util.Arrays;

/**
 * Draft tokens to verify in one step, as a prefix tree: node 0 is the root (the sequence's last
 * token, already decided) and node i > 0 is a draft token that follows its parent. Beams that share
 * a prefix share its nodes, so the tree holds every beam for the price of their distinct tokens.
 * Nodes are numbered in insertion order, so the first beam is the chain 1, 2, ..., k: when it is the
 * one accepted, its K/V already sits at its positions.
 */
public final class DraftTree {
    private final int[] tokens;
    private final int[] parents;
    private int size;

    private DraftTree(int capacity) {
        tokens = new int[capacity + 1];
        parents = new int[capacity + 1];
    }

    /** A single chain of drafts {@code draft[0, n)}. */
    public static DraftTree chain(int[] draft, int n) {
        DraftTree t = new DraftTree(n);
        for (int i = 0; i < n; i++) t.add(i, draft[i]);
        return t;
    }

    /**
     * The prefix tree of {@code beamCount} beams, best first, beam b at {@code beams[b * stride, (b +
     * 1) * stride)}, each cut to {@code depth} tokens or at its first negative entry; at most
     * {@code maxNodes} draft tokens (later beams are cut, which keeps a prefix of them: still a draft).
     */
    public static DraftTree ofBeams(int[] beams, int beamCount, int stride, int depth, int maxNodes) {
        DraftTree t = new DraftTree(Math.min(maxNodes, beamCount * Math.min(depth, stride)));
        for (int b = 0; b < beamCount; b++) {
            int node = 0;
            for (int d = 0; d < Math.min(depth, stride); d++) {
                int token = beams[b * stride + d];
                if (token < 0) break;
                int next = t.child(node, token);
                if (next < 0) {
                    if (t.size == t.tokens.length - 1) return t;
                    next = t.add(node, token);
                }
                node = next;
            }
        }
        return t;
    }

    private int add(int parent, int token) {
        int i = ++size;
        tokens[i] = token;
        parents[i] = parent;
        return i;
    }

    /** Number of draft tokens (the root not counted). */
    public int size() {
        return size;
    }

    public int token(int node) {
        return tokens[node];
    }

    public int parent(int node) {
        return parents[node];
    }

    /** The child of {@code node} holding {@code token}, or -1. */
    public int child(int node, int token) {
        for (int i = node + 1; i <= size; i++) {
            if (parents[i] == node && tokens[i] == token) return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "DraftTree[tokens=" + Arrays.toString(Arrays.copyOfRange(tokens, 1, size + 1)) + ", parents="
                + Arrays.toString(Arrays.copyOfRange(parents, 1, size + 1)) + "]";
    }
}
