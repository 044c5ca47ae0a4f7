package dev.euclid.internal;

import dev.euclid.KvOptions;
import java.util.OptionalLong;

/** How many blocks an engine's KV pool gets: what an explicit budget buys, or the default (budget 0). */
final class KvBudget {
    private KvBudget() {}

    /** Blocks for this model's context and block size, with the default sized against the memory available now. */
    static long blocks(int context, KvOptions k, long bytesPerBlock) {
        return blocks(context, k, bytesPerBlock, AvailableMemory.bytes());
    }

    /**
     * The default: {@link KvOptions#DEFAULT_BUDGET_SEQUENCES} sequences of the full context, cut to
     * {@link KvOptions#DEFAULT_BUDGET_MEMORY_SHARE} of {@code available} memory but never below one
     * sequence (what the pool held before there was a default). Each sequence counts whole blocks,
     * and one more block covers the copy-on-write of a shared partial prompt block.
     */
    static long blocks(int context, KvOptions k, long bytesPerBlock, OptionalLong available) {
        return blocks(context, k, bytesPerBlock, available, KvOptions.DEFAULT_BUDGET_MEMORY_SHARE);
    }

    /** The same on a GPU: the default is cut to {@link KvOptions#DEFAULT_DEVICE_MEMORY_SHARE} of {@code freeDevice}. */
    static long deviceBlocks(int context, KvOptions k, long bytesPerBlock, long freeDevice) {
        return blocks(context, k, bytesPerBlock, OptionalLong.of(Math.max(0, freeDevice)), KvOptions.DEFAULT_DEVICE_MEMORY_SHARE);
    }

    private static long blocks(int context, KvOptions k, long bytesPerBlock, OptionalLong available, double share) {
        long n = k.budgetBytes() > 0 ? k.budgetBytes() / bytesPerBlock : defaultBlocks(context, k, bytesPerBlock, available, share);
        if (n < 1) {
            throw new IllegalArgumentException("budgetBytes " + k.budgetBytes() + " holds no block: one KV block of "
                    + k.blockTokens() + " tokens takes " + bytesPerBlock + " bytes");
        }
        if (n > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("budgetBytes " + k.budgetBytes() + " is too large");
        return n;
    }

    private static long defaultBlocks(int context, KvOptions k, long bytesPerBlock, OptionalLong available, double share) {
        long perSequence = (context + k.blockTokens() - 1L) / k.blockTokens();
        long sequences = KvOptions.DEFAULT_BUDGET_SEQUENCES;
        if (available.isPresent()) {
            long bytes = (long) (available.getAsLong() * share);
            sequences = Math.min(sequences, bytes / bytesPerBlock / perSequence);
        }
        return Math.max(1, sequences) * perSequence + 1;
    }
}
