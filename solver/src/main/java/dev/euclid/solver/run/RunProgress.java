package dev.euclid.solver.run;

import java.time.Duration;

/**
 * Where a dataset run stands after a problem.
 *
 * @param done problems finished (resumed ones included)
 * @param total problems in the set
 * @param correct finished problems answered correctly
 * @param graded finished problems that have an expected answer
 * @param tokens tokens generated in this process's part of the run
 * @param elapsed this process's time so far
 * @param left the run budget's time left, or null without a budget
 */
public record RunProgress(int done, int total, int correct, int graded, long tokens, Duration elapsed, Duration left) {
    /** Correct over graded, or NaN before anything was graded. */
    public double accuracy() {
        return graded == 0 ? Double.NaN : (double) correct / graded;
    }

    public double tokensPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s <= 0 ? 0.0 : tokens / s;
    }
}
