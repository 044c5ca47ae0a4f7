package dev.euclid.internal.spec;

/**
 * A drafter that reads the base model's hidden states from the latest engine step and proposes
 * beams of draft tokens (the recurrent drafter, {@code NativeDrafter}). Called on the engine thread.
 */
public interface BeamDrafter extends AutoCloseable {
    /**
     * For each i < n: {@code beams} beams of {@code length} tokens guessed to follow {@code tokens[i]},
     * the token just sampled from logits row {@code rows[i]} of the latest step, written best first
     * to {@code out[i * beams * length, (i + 1) * beams * length)}.
     */
    void propose(int n, int[] rows, int[] tokens, int beams, int length, int[] out);

    @Override
    void close();
}
