package dev.euclid;

/**
 * Where a generation spent its time. Prefill covers the prompt and the first generated token
 * (time to first token); decode covers every token after that.
 */
public record Timings(int prefillTokens, long prefillNanos, int decodeTokens, long decodeNanos) {

    public double prefillTokensPerSecond() {
        return rate(prefillTokens, prefillNanos);
    }

    public double decodeTokensPerSecond() {
        return rate(decodeTokens, decodeNanos);
    }

    private static double rate(int tokens, long nanos) {
        return nanos <= 0 ? 0.0 : tokens * 1e9 / nanos;
    }
}
