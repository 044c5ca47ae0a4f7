package dev.euclid.internal.kv;

import java.util.Arrays;

/**
 * Identity of a full KV block for prefix caching: its tokens and, through {@code parent} (the
 * canonical key of the block before it, or null for the first), every token before them. Parents
 * compare by identity, so two keys are equal exactly when their whole prefixes are equal: no hash
 * collision can ever hand a request another prompt's KV.
 */
final class BlockKey {
    private final BlockKey parent;
    private final int[] tokens;
    private final int hash;

    BlockKey(BlockKey parent, int[] tokens) {
        this.parent = parent;
        this.tokens = tokens;
        this.hash = 31 * System.identityHashCode(parent) + Arrays.hashCode(tokens);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockKey k && k.parent == parent && k.hash == hash && Arrays.equals(k.tokens, tokens);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
