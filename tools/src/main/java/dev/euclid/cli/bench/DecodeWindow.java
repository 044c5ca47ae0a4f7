package dev.euclid.cli.bench;

import java.util.List;

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
 *
 * <p>The difference cancels prefill only as far as both rounds prefilled equally fast; {@link
 * #steady} reads the all-sequences steps directly from token arrival times, for an engine whose
 * tokens stream (Euclid).
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
     * The share of the long round's time that its extra tokens took, (long − short) / long; NaN
     * when the long round was not slower. Where it is small the rounds are mostly prefill and
     * {@link #rate} is the difference of two noisy numbers: at 0.05–0.12 two runs of llama.cpp's
     * 1b shape at 16 sequences gave 77 and 140 tok/s; at 0.64–0.76 the difference matched the
     * steady rate within 4% (bench/results/2026-12-04-batched.md).
     */
    public static double decodeShare(double shortSeconds, double longSeconds) {
        return longSeconds > shortSeconds ? (longSeconds - shortSeconds) / longSeconds : Double.NaN;
    }

    /** Below this {@link #decodeShare} the bench flags a round-difference rate as unreliable. */
    public static final double RELIABLE_DECODE_SHARE = 0.5;

    /**
     * The decode steps of one round in which every sequence decodes.
     *
     * @param tokensPerSecond aggregate over all sequences; NaN when no such step was seen
     * @param steps how many steps were timed
     * @param medianStepTokensPerSecond the same from the median step time: a step slowed by a
     *     neighbour (the machine may be shared) moves it less, for comparing builds
     */
    public record Steady(double tokensPerSecond, int steps, double medianStepTokensPerSecond) {}

    /** Mean context of the first {@code steps} steady steps with {@code promptTokens}-token prompts (see {@link #steady}). */
    public static double steadyMeanContext(int promptTokens, int steps) {
        return promptTokens + (steps + 1) / 2.0;
    }

    /**
     * The steady rate of one round, read from when each sequence's tokens arrived (nanoseconds, in
     * order). Once the last prompt is in, every step gives every sequence one token until the first
     * sequence ends; those steps are timed on the last sequence's own tokens (the one whose first
     * token came last), from its first token to its last token that came no later than the first
     * sequence's end. Steps of token k feed position {@code P + k − 1} and attend to {@code P + k}
     * entries, so the mean context of steps 1..m is {@code P + (m + 1) / 2}.
     *
     * <p>Unlike {@link #rate}, nothing of the prefill enters: with 128-token prompts prefill is
     * ~80% of a round, and a neighbour slowing it by a few percent moved the difference of two
     * rounds by tens of percent (and gave rates above the arithmetic peak).
     */
    public static Steady steady(List<long[]> arrivals) {
        long[] last = null;
        long end = Long.MAX_VALUE;
        Steady none = new Steady(Double.NaN, 0, Double.NaN);
        for (long[] a : arrivals) {
            if (a.length == 0) return none;
            if (last == null || a[0] > last[0]) last = a;
            end = Math.min(end, a[a.length - 1]);
        }
        if (last == null) return none;
        int m = 0;
        while (m < last.length && last[m] <= end) m++;
        if (m < 2) return none;
        double seconds = (last[m - 1] - last[0]) / 1e9;
        double[] stepSeconds = new double[m - 1];
        for (int i = 1; i < m; i++) stepSeconds[i - 1] = (last[i] - last[i - 1]) / 1e9;
        double median = EuclidBench.median(stepSeconds);
        return new Steady(seconds > 0 ? arrivals.size() * (m - 1) / seconds : Double.NaN, m - 1,
                median > 0 ? arrivals.size() / median : Double.NaN);
    }
}
