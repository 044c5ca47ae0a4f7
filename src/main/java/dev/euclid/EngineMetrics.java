package dev.euclid;

/**
 * What the engine is doing, read from any thread.
 *
 * @param queuedRequests requests submitted but not yet started (waiting for KV blocks or a step)
 * @param runningSequences samples holding KV blocks now
 * @param steps forward passes since open
 * @param generatedTokens tokens sampled since open
 * @param meanStepMillis mean wall time of a step since open
 * @param recentTokensPerSecond generated tokens per second over the recent steps (exponential average)
 * @param meanTokensPerVerification with speculative decoding: tokens gained per verification step
 *     (accepted drafts plus the bonus token); 0 when no step verified drafts
 * @param preemptions requests preempted since open (their blocks freed, their tokens recomputed later)
 * @param kv the KV cache
 */
public record EngineMetrics(int queuedRequests, int runningSequences, long steps, long generatedTokens,
        double meanStepMillis, double recentTokensPerSecond, double meanTokensPerVerification, long preemptions,
        KvStats kv) {}
