package dev.euclid.server;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/** What the HTTP layer counts and times itself; {@link PrometheusText} adds the engine's own figures. */
final class ServerMetrics {
    /** Latency buckets in seconds, from a fast local step to a long queue wait. */
    private static final double[] TTFT_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final double[] ITL_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    record Key(String endpoint, int code) {}

    final Map<Key, LongAdder> requests = new ConcurrentSkipListMap<>(
            java.util.Comparator.comparing(Key::endpoint).thenComparingInt(Key::code));
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();
    final LongAdder disconnects = new LongAdder();
    final Histogram timeToFirstToken = new Histogram(TTFT_BUCKETS);
    final Histogram interTokenLatency = new Histogram(ITL_BUCKETS);
    final Histogram requestDuration = new Histogram(TTFT_BUCKETS);
    private double prefillTokensPerSecond; // exponential average over finished requests
    private boolean prefillSeen;

    /** Counts a response by endpoint and status, when its status is decided (even if the client has gone). */
    void response(String endpoint, int code) {
        requests.computeIfAbsent(new Key(endpoint, code), k -> new LongAdder()).increment();
    }

    long responses(String endpoint, int code) {
        LongAdder a = requests.get(new Key(endpoint, code));
        return a == null ? 0 : a.sum();
    }

    synchronized void prefill(int tokens, long nanos) {
        if (tokens <= 0 || nanos <= 0) return;
        double rate = tokens * 1e9 / nanos;
        prefillTokensPerSecond = prefillSeen ? 0.9 * prefillTokensPerSecond + 0.1 * rate : rate;
        prefillSeen = true;
    }

    synchronized double prefillTokensPerSecond() {
        return prefillTokensPerSecond;
    }
}
