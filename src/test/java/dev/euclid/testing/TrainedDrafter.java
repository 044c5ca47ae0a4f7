package dev.euclid.testing;

import dev.euclid.DrafterStats;
import dev.euclid.DrafterTraining;
import dev.euclid.Drafters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One drafter for stories260K, trained by Euclid's own trainer the first time a test asks and
 * shared by the tests of this JVM (training takes tens of seconds on two cores).
 */
public final class TrainedDrafter {
    private static Path file;
    private static DrafterStats stats;

    private TrainedDrafter() {}

    /** Settings: self-distillation on 128 generated sequences of 256 tokens, 4 draft tokens, 4 beams. */
    public static DrafterTraining settings() {
        return DrafterTraining.defaults().withSequences(128).withTokensPerSequence(256).withEpochs(3).withTemperature(0.8)
                .withDraftTokens(4).withBeams(4).withThreads(2).withSeed(1);
    }

    public static synchronized Path stories260k() {
        if (file == null) {
            try {
                Path dir = Files.createTempDirectory("euclid-drafter");
                dir.toFile().deleteOnExit();
                Path out = dir.resolve("stories260K.drafter");
                stats = Drafters.train(SharedModels.models().resolve("stories260K/stories260K.bin"), out, settings(), null);
                out.toFile().deleteOnExit();
                file = out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    /** What training measured on its held-out sequences. */
    public static synchronized DrafterStats stories260kStats() {
        stories260k();
        return stats;
    }
}
