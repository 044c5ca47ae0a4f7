package dev.euclid;

import dev.euclid.internal.spec.DrafterTrainer;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Recurrent drafters (ReDrafter) for speculative decoding, trained by Euclid from the base model's
 * own generations.
 *
 * <pre>{@code
 * DrafterStats s = Drafters.train(Path.of("stories260K.bin"), Path.of("stories260K.drafter"),
 *         DrafterTraining.defaults(), null);
 * System.out.println(s.meanAcceptedTokens());
 * }</pre>
 */
public final class Drafters {
    private Drafters() {}

    /**
     * Trains a drafter for the model at {@code model} (any format {@link Engine#open} accepts) on the
     * CPU and writes it to {@code out}; the file is tied to that model's weights.
     *
     * @param progress called on the calling thread as phases advance; may be null
     * @return how it was trained and how well it drafts on held-out sequences (also stored in the file)
     * @throws ModelFormatException if the model files are malformed
     */
    public static DrafterStats train(Path model, Path out, DrafterTraining options, DrafterTraining.Progress progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(options, "options");
        return DrafterTrainer.train(model, out, options, progress);
    }
}
