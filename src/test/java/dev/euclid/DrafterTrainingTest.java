package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.internal.spec.DrafterFile;
import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A drafter trained by Euclid on stories260K makes greedy verification keep at least 2 tokens per step. */
class DrafterTrainingTest {
    @TempDir Path dir;

    @Test
    void trainedDrafterKeepsTwoTokensPerGreedyStepOnHeldOutPrompts() {
        Path model = SharedModels.models().resolve("stories260K/stories260K.bin");
        Path out = dir.resolve("stories260K.drafter");
        DrafterTraining options = DrafterTraining.defaults().withSequences(Integer.getInteger("t.seq", 128))
                .withTokensPerSequence(Integer.getInteger("t.tok", 256)).withEpochs(Integer.getInteger("t.ep", 3))
                .withTemperature(Double.parseDouble(System.getProperty("t.temp", "0.8")))
                .withMlpLayers(Integer.getInteger("t.mlp", 1)).withLearningRate(Double.parseDouble(System.getProperty("t.lr", "3e-3")))
                .withDraftTokens(4).withBeams(4).withThreads(2).withSeed(1);
        long start = System.nanoTime();
        DrafterStats stats = Drafters.train(model, out, options, null);
        System.out.printf("trained in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, stats);
        assertEquals(stats, DrafterFile.read(out).stats());
        assertTrue(stats.meanAcceptedTokens() >= 2.0, "mean accepted tokens per step " + stats.meanAcceptedTokens()
                + ", top-1 per position " + Arrays.toString(stats.top1Accuracy()));
    }
}
