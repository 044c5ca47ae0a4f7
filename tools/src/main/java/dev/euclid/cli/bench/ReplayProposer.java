package dev.euclid.cli.bench;

import dev.euclid.DraftProposer;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in drafter for models no drafter can learn (synthetic weights are random): it replays
 * the model's own greedy continuation, recorded in an earlier run, and corrupts each draft token
 * with probability {@code 1 - acceptRate}, so a draft token is accepted with probability
 * acceptRate once the ones before it were. Corruption depends only on (sequence, position), so
 * runs repeat exactly. With acceptRate 0 every draft is wrong: each step then verifies
 * {@code draftTokens + 1} tokens and keeps one, which measures the cost of verification.
 */
final class ReplayProposer implements DraftProposer {
    private final List<int[]> recorded; // prompt + greedy continuation, one per sequence
    private final double acceptRate;
    private final int vocab;

    ReplayProposer(List<int[]> recorded, double acceptRate, int vocab) {
        if (!(acceptRate >= 0 && acceptRate <= 1)) throw new IllegalArgumentException("accept rate must be in [0, 1]");
        this.recorded = recorded;
        this.acceptRate = acceptRate;
        this.vocab = vocab;
    }

    @Override
    public int[][] propose(int[] tokens, int length, int maxTokens) {
        for (int s = 0; s < recorded.size(); s++) {
            int[] r = recorded.get(s);
            if (r.length <= length || !Arrays.equals(r, 0, length, tokens, 0, length)) continue;
            int[] draft = Arrays.copyOfRange(r, length, Math.min(r.length, length + maxTokens));
            for (int i = 0; i < draft.length; i++) {
                if (uniform(s, length + i) >= acceptRate) draft[i] = (draft[i] + 1 + (length + i) % (vocab - 1)) % vocab;
            }
            return new int[][] {draft};
        }
        return new int[0][];
    }

    /** A fixed uniform number in [0, 1) for (sequence, position): SplitMix64 of the pair. */
    private static double uniform(int sequence, int position) {
        long z = sequence * 0x9E3779B97F4A7C15L + position * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
