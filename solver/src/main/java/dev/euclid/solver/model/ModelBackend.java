package dev.euclid.solver.model;

/**
 * What the solver needs from a model: many samples of one prompt, then each sample continued with
 * text appended (a tool's output). Implemented in-process over an {@code Engine} and over any
 * OpenAI-compatible server. Every call returns at once; results come through futures, so the
 * solver keeps the model busy with other samples while one waits for its code.
 *
 * <p>Sample {@code i}'s first turn is drawn with seed {@code seed + i}; a continuation names its
 * own seed: the same seeds give the same text, so a resumed run repeats a killed one.
 */
public interface ModelBackend extends AutoCloseable {
    /** Starts {@code samples} first turns of {@code prompt}; {@code listener} gets each as it ends. */
    SampleGroup start(String prompt, int samples, Decoding decoding, long seed, TurnListener listener);

    /** Continues {@code previous} (a turn of this backend) with {@code appended}, drawn with {@code seed}. */
    PendingTurn resume(Turn previous, String appended, Decoding decoding, long seed);

    /** Tokens generated per second lately, when the backend knows (for progress lines); NaN otherwise. */
    default double recentTokensPerSecond() {
        return Double.NaN;
    }

    /** Releases what the backend opened itself (an engine it was handed stays open). */
    @Override
    default void close() {}
}
