package dev.euclid.server;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/** A Prometheus histogram of seconds: cumulative bucket counts, sum and count, safe from any thread. */
final class Histogram {
    final double[] bounds;
    private final AtomicLongArray counts; // per bucket, not cumulative; the last is +Inf
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double... bounds) {
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    void observeNanos(long nanos) {
        double seconds = nanos / 1e9;
        int i = 0;
        while (i < bounds.length && seconds > bounds[i]) i++;
        counts.incrementAndGet(i);
        sum.add(seconds);
    }

    /** Observations at or below bounds[i] (i == bounds.length: all of them). */
    long cumulative(int i) {
        long c = 0;
        for (int j = 0; j <= i; j++) c += counts.get(j);
        return c;
    }

    double sum() {
        return sum.sum();
    }

    /** The +Inf bucket, so that count and buckets agree in every scrape. */
    long count() {
        return cumulative(bounds.length);
    }
}
