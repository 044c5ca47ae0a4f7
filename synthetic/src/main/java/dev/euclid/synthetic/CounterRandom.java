package dev.euclid.synthetic;

import java.nio.charset.StandardCharsets;

/**
 * Counter-based random numbers built on the SplitMix64 finaliser.
 *
 * <p>SplitMix64's state after {@code i} steps is just {@code seed + i * GOLDEN}, so element
 * {@code i} of a stream can be computed directly as {@code mix(seed + (i + 1) * GOLDEN)}. That
 * makes every value a pure function of (stream seed, index): tensors can be generated in any
 * order, in parallel chunks, or partially, and always come out bit-identical regardless of the
 * number of threads.
 */
public final class CounterRandom {

    /** The SplitMix64 increment (2^64 / golden ratio, odd). */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** Rescales a centred sum of four 16-bit uniforms (variance 4/12 in units of 2^16) to unit variance. */
    private static final double NORMAL_SCALE = Math.sqrt(3.0) / 65536.0;

    private CounterRandom() {
    }

    /** The SplitMix64 output function (Stafford variant 13): a bijective 64-bit mixer. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Element {@code index} of the SplitMix64 stream started from {@code streamSeed}. */
    public static long bits(long streamSeed, long index) {
        return mix(streamSeed + (index + 1) * GOLDEN);
    }

    /**
     * Seed of an independent stream for a named object (a tensor), derived from the model seed
     * and a stable hash of the name so it does not depend on iteration order.
     */
    public static long streamSeed(long seed, String name) {
        long h = 0xCBF29CE484222325L; // FNV-1a 64 over UTF-8
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return mix(mix(seed) ^ h);
    }

    /**
     * An approximately standard-normal value from 64 random bits: the sum of four 16-bit
     * uniforms (Irwin-Hall, n=4), centred and scaled to unit variance. It costs one mix per value
     * (no log/sqrt/trig), is symmetric, and is bounded by ±2√3 ≈ ±3.46, which is fine, even
     * welcome, for weight initialisation.
     */
    public static double normal(long bits) {
        long sum = (bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF) + ((bits >>> 32) & 0xFFFF) + (bits >>> 48);
        // Each 16-bit value has mean 32767.5, so the four sum to mean 131070.
        return (sum - 131070.0) * NORMAL_SCALE;
    }

    /** A uniform double in [0, 1) from 64 random bits (top 53 bits). */
    public static double uniform(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
