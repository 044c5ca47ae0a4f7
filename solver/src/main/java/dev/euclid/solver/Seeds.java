package dev.euclid.solver;

import java.nio.charset.StandardCharsets;

/**
 * Seeds that depend only on the run's seed, the problem's id, the sample and the turn, never on
 * timing or on which problems ran before: a resumed run draws exactly what the killed one would have.
 */
final class Seeds {
    private Seeds() {}

    /** The problem's seed; its samples' first turns use this + sample index. */
    static long problem(long runSeed, String problemId) {
        long h = runSeed;
        for (byte b : problemId.getBytes(StandardCharsets.UTF_8)) h = mix(h ^ (b & 0xff));
        return mix(h) & 0x3fffffffffffffffL; // room for + sample index without overflow
    }

    /** The seed of turn {@code turn} (>= 1) of sample {@code sample}. */
    static long turn(long problemSeed, int sample, int turn) {
        return mix(mix(problemSeed ^ mix(sample + 1L)) ^ turn) & 0x3fffffffffffffffL;
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
