package dev.euclid;

import java.util.Arrays;

/**
 * How a drafter was trained and how well it drafts on held-out sequences (stored in the drafter
 * file). {@code top1Accuracy[k]} is the share of held-out positions where the drafter's most likely
 * token at draft position k + 1 (fed the true preceding tokens) is the base model's greedy token;
 * {@code meanAcceptedTokens} is the mean number of tokens one greedy verification step would keep
 * (accepted draft prefix of the best-matching beam plus the base model's bonus token), simulated by
 * walking the held-out greedy continuations with {@code beams} beams of {@code draftTokens}.
 */
public record DrafterStats(int draftTokens, int beams, int trainingSequences, int heldOutSequences,
        long trainingExamples, int epochs, double trainingSeconds, double finalLoss, double[] top1Accuracy,
        double meanAcceptedTokens) {

    public DrafterStats {
        if (draftTokens < 1 || beams < 1 || top1Accuracy.length != draftTokens) {
            throw new IllegalArgumentException("stats of " + draftTokens + " draft tokens and " + beams + " beams need "
                    + "one accuracy per draft position, got " + top1Accuracy.length);
        }
        top1Accuracy = top1Accuracy.clone();
    }

    @Override
    public double[] top1Accuracy() {
        return top1Accuracy.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DrafterStats s && draftTokens == s.draftTokens && beams == s.beams
                && trainingSequences == s.trainingSequences && heldOutSequences == s.heldOutSequences
                && trainingExamples == s.trainingExamples && epochs == s.epochs
                && Double.compare(trainingSeconds, s.trainingSeconds) == 0 && Double.compare(finalLoss, s.finalLoss) == 0
                && Arrays.equals(top1Accuracy, s.top1Accuracy) && Double.compare(meanAcceptedTokens, s.meanAcceptedTokens) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(top1Accuracy) * 31 + Double.hashCode(meanAcceptedTokens);
    }

    @Override
    public String toString() {
        return "DrafterStats[draftTokens=" + draftTokens + ", beams=" + beams + ", trainingSequences=" + trainingSequences
                + ", heldOutSequences=" + heldOutSequences + ", trainingExamples=" + trainingExamples + ", epochs=" + epochs
                + ", trainingSeconds=" + trainingSeconds + ", finalLoss=" + finalLoss + ", top1Accuracy="
                + Arrays.toString(top1Accuracy) + ", meanAcceptedTokens=" + meanAcceptedTokens + "]";
    }
}
