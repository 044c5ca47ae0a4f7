package dev.euclid.solver.run;

import java.time.Duration;
import java.util.Objects;

/**
 * Splits a whole run's time (AIMO: 50 problems in 9 hours) among its problems, re-planned before
 * each problem from what is left:
 * <pre>
 *   budget = min(cap, max(floor, left / problemsLeft)),  never more than left
 *   share  = total / problems,  floor = share / 4,  cap = 2 * share (or the per-problem limit given)
 * </pre>
 * Time an easy problem does not use (early stop) flows forward to the rest. NuminaMath noted that
 * early stopping has high variance when hard problems come first; this policy is the answer to
 * that: a hard problem early on can take at most {@code cap}, so it cannot starve the problems
 * after it, and every problem gets at least {@code floor} while that much is left, whatever
 * order the hard ones come in. Problems reached with no time left get none (they are recorded
 * as unanswered).
 */
public final class RunBudget {
    private final Duration total;
    private final int problems;
    private final Duration floor;
    private final Duration cap;
    private Duration spent = Duration.ZERO;
    private int done;

    /**
     * @param total the whole run's time
     * @param problems how many problems it must cover
     * @param perProblemCap the most one problem may take, or null for twice the equal share
     */
    public RunBudget(Duration total, int problems, Duration perProblemCap) {
        this.total = Objects.requireNonNull(total, "total");
        if (total.isNegative() || total.isZero()) throw new IllegalArgumentException("a run budget must be positive, got " + total);
        if (problems < 1) throw new IllegalArgumentException("problems must be >= 1, got " + problems);
        if (perProblemCap != null && (perProblemCap.isNegative() || perProblemCap.isZero())) {
            throw new IllegalArgumentException("a per-problem cap must be positive, got " + perProblemCap);
        }
        this.problems = problems;
        Duration share = total.dividedBy(problems);
        this.cap = perProblemCap != null ? perProblemCap : share.multipliedBy(2);
        this.floor = share.dividedBy(4).compareTo(cap) < 0 ? share.dividedBy(4) : cap;
    }

    /** Counts time already spent (a resumed run's finished problems). */
    public void alreadySpent(Duration time, int problemsDone) {
        spent = spent.plus(time);
        done += problemsDone;
    }

    /** The budget of the next problem; zero when the run's time is gone. */
    public Duration next() {
        Duration left = left();
        if (left.isZero()) return Duration.ZERO;
        int problemsLeft = Math.max(1, problems - done);
        Duration b = left.dividedBy(problemsLeft);
        if (b.compareTo(floor) < 0) b = floor;
        if (b.compareTo(cap) > 0) b = cap;
        return b.compareTo(left) > 0 ? left : b;
    }

    /** Records that a problem finished after {@code used}. */
    public void finished(Duration used) {
        spent = spent.plus(used);
        done++;
    }

    /** Time not yet spent (never negative). */
    public Duration left() {
        Duration left = total.minus(spent);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
