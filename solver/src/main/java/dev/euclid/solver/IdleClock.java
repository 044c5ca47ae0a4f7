package dev.euclid.solver;

/**
 * Time in which no sample of a problem is being generated (all wait for code): the share of a
 * problem's wall time the model sat idle because of tool calls. Used from one thread.
 */
final class IdleClock {
    private final long start = System.nanoTime();
    private int generating;
    private long idleSince = start;
    private long idleNanos;

    void turnStarted() {
        if (generating++ == 0) idleNanos += System.nanoTime() - idleSince;
    }

    void turnEnded() {
        if (--generating == 0) idleSince = System.nanoTime();
    }

    /** Idle share of the time since construction, counting up to now. */
    double idleFraction() {
        long now = System.nanoTime();
        long idle = idleNanos + (generating == 0 ? now - idleSince : 0);
        return now == start ? 0.0 : (double) idle / (now - start);
    }
}
