package dev.euclid.cli.bench;

/**
 * The steady decode rate of B concurrent sequences, measured the same way for any engine: time a
 * round of B requests generating {@code S} tokens each and a round generating {@code L}, from
 * submission until all have finished, and divide the extra tokens by the extra time:
 * {@code B × (L − S) / (T_L − T_S)}.
 *
 * <p>Why not each sequence's own decode time: with B = 48 and 128-token prompts, an engine spends
 * seconds prefilling the later prompts while the first sequences already decode, so "decode
 * tokens over the longest decode phase" mostly measures prefill. The difference of two rounds
 * cancels prefill, start-up and the ramp, and leaves B × (L − S) tokens decoded with all B
 * sequences in the batch.
 */
public final class DecodeWindow {
    private DecodeWindow() {}

    /** The short round's tokens per sequence for a long round of {@code genTokens}. */
    public static int shortGen(int genTokens) {
        return Math.max(2, genTokens / 4);
    }

    /**
     * Aggregate tokens/s of the extra tokens of the long round; NaN when the long round was not
     * slower (a neighbour disturbed the short one: no rate can be read from the pair).
     */
    public static double rate(int sequences, int shortGen, int longGen, double shortSeconds, double longSeconds) {
        if (longGen <= shortGen) throw new IllegalArgumentException("long round must generate more than the short one");
        if (!(longSeconds > shortSeconds)) return Double.NaN;
        return sequences * (double) (longGen - shortGen) / (longSeconds - shortSeconds);
    }

    /**
     * Mean context of the extra decode steps: the long round feeds positions {@code P + S − 1 ..
     * P + L − 2} beyond the short one, each attending to its position + 1 entries.
     */
    public static double meanContext(int promptTokens, int shortGen, int longGen) {
        return promptTokens + (shortGen + longGen - 1) / 2.0;
    }
}
