package dev.euclid.solver;

/**
 * Time in which no sample of a problem is being generated (all wait for code): the share of a
 * problem's wall time the model sat idle because of tool calls. Used from one thread.
 */
final class IdleClock {
    private long start = -1; // when the first turn started: the clock measures the samples' time, not set-up
    private int generating;
    private long idleSince;
    private long idleNanos;

    void turnStarted() {
        long now = System.nanoTime();
        if (start < 0) {
            start = now;
            idleSince = now;
        }
        if (generating++ == 0) idleNanos += now - idleSince;
    }

    void turnEnded() {
        if (--generating == 0) idleSince = System.nanoTime();
    }

    /** Idle share of the time since the first turn started, counting up to now. */
    double idleFraction() {
        long now = System.nanoTime();
        if (start < 0) return 0.0;
        long idle = idleNanos + (generating == 0 ? now - idleSince : 0);
        return now == start ? 0.0 : (double) idle / (now - start);
    }
}
