package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.internal.spec.DrafterFile;
import dev.euclid.testing.SharedModels;
import dev.euclid.testing.TrainedDrafter;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drafters trained by Euclid on stories260K: what greedy verification gains, and reproducibility. */
class DrafterTrainingTest {
    @TempDir Path dir;

    private static Path model() {
        return SharedModels.models().resolve("stories260K/stories260K.bin");
    }

    /**
     * The target: mean tokens kept per greedy verification step, bonus token included, on
     * held-out prompts never trained on, with 4 beams of 4 draft tokens, at least 2.0.
     */
    @Test
    void trainedDrafterKeepsTwoTokensPerGreedyStepOnHeldOutPrompts() {
        Path out = TrainedDrafter.stories260k(); // 128 sequences x 256 tokens, 3 epochs, 4 beams x 4 tokens
        DrafterStats stats = TrainedDrafter.stories260kStats();
        System.out.printf("trained: %s%n", stats);
        assertEquals(stats, DrafterFile.read(out).stats());
        assertEquals(4, stats.draftTokens());
        assertEquals(4, stats.beams());
        double[] top1 = stats.top1Accuracy();
        assertTrue(Arrays.stream(top1).allMatch(a -> a > 0.3), "top-1 per position " + Arrays.toString(top1));
        assertTrue(stats.meanAcceptedTokens() >= 2.0, "mean accepted tokens per step " + stats.meanAcceptedTokens()
                + ", top-1 per position " + Arrays.toString(top1));
    }

    /** Same seed, same drafter, whatever the thread count (gradients are summed over fixed shards). */
    @Test
    void trainingIsDeterministicAcrossThreadCounts() {
        DrafterTraining small = DrafterTraining.defaults().withSequences(8).withHeldOutSequences(2).withTokensPerSequence(48)
                .withEpochs(2).withBatchSize(16).withSeed(5);
        Path one = dir.resolve("one.drafter"), two = dir.resolve("two.drafter");
        DrafterStats a = Drafters.train(model(), one, small.withThreads(1), null);
        DrafterStats b = Drafters.train(model(), two, small.withThreads(2), null);
        assertArrayEquals(DrafterFile.read(one).weights(), DrafterFile.read(two).weights());
        assertEquals(a.finalLoss(), b.finalLoss());
        assertArrayEquals(a.top1Accuracy(), b.top1Accuracy());
        assertEquals(a.meanAcceptedTokens(), b.meanAcceptedTokens());
    }
}
