package dev.euclid.bench.serve;

/**
 * One streamed request as its client saw it.
 *
 * @param startNanos when it was sent
 * @param firstTokenNanos when its first text arrived (0: never)
 * @param gapsNanos the gaps between consecutive arrivals of text after the first
 * @param endNanos when it ended
 * @param tokens generated tokens (the server's usage count)
 */
record RequestTiming(long startNanos, long firstTokenNanos, long[] gapsNanos, long endNanos, int tokens) {}
