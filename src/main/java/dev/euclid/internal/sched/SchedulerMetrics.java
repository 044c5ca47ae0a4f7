package dev.euclid.internal.sched;

import dev.euclid.EngineMetrics;
import dev.euclid.KvStats;

/** The engine loop's counters (engine thread only); {@link #snapshot} turns them into {@link EngineMetrics}. */
final class SchedulerMetrics {
    private long steps, stepNanos, generatedTokens;
    private long verifySteps, acceptedDrafts, preemptions;
    private double recentTokensPerSecond;

    void step(long nanos, int sampled) {
        steps++;
        stepNanos += nanos;
        generatedTokens += sampled;
        double rate = nanos > 0 ? sampled * 1e9 / nanos : 0;
        recentTokensPerSecond = steps == 1 ? rate : 0.9 * recentTokensPerSecond + 0.1 * rate;
    }

    void verified(int accepted) {
        verifySteps++;
        acceptedDrafts += accepted;
    }

    void preempted() {
        preemptions++;
    }

    EngineMetrics snapshot(int queued, int running, KvStats kv) {
        return new EngineMetrics(queued, running, steps, generatedTokens, steps == 0 ? 0 : stepNanos / 1e6 / steps,
                recentTokensPerSecond, verifySteps == 0 ? 0 : 1.0 + (double) acceptedDrafts / verifySteps, preemptions, kv);
    }
}
