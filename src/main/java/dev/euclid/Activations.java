package dev.euclid;

import dev.euclid.internal.NativeApi;
import java.util.Locale;

/**
 * How the matrix products take their input, the activations (see {@link EngineOptions#activations}).
 * Attention, norms and the KV cache are unaffected.
 */
public enum Activations {
    /** FP32 activations times weights widened to FP32: the reference, and the default. */
    FP32(NativeApi.ACTIVATIONS_FP32),
    /**
     * Each token's input to a matrix product quantised to int8 in blocks of 32 (symmetric, one FP32
     * scale per block: max |x| / 127). With {@link Precision#INT8}, {@link Precision#Q4_0}, {@link
     * Precision#Q4_1}, {@link Precision#NVFP4} and {@link Precision#MXFP4} weights the products are
     * int8 dot products (AVX-512 VNNI where the CPU has it, AVX2 or portable code elsewhere; on AVX2
     * and AVX-512 CPUs they read a 16-row copy of each matrix made at open, about as many bytes again),
     * and with {@link Precision#FP8} on AVX2 and AVX-512 CPUs: faster where a step is compute-bound (prefill,
     * large batches, speculative verification, and 4-bit decode); with other weights the quantised
     * activations go through the FP32 kernels: the same numbers, no speed-up. Results stay independent
     * of batch composition and thread count.
     */
    INT8(NativeApi.ACTIVATIONS_INT8),
    /**
     * Each token's input to a matrix product rounded to BF16 (to nearest even). With {@link
     * Precision#BF16}, {@link Precision#FP8} (BF16 holds every E4M3 value) or {@link Precision#FP16}
     * weights (rounded to BF16 as they are multiplied) on a CPU with AVX-512 BF16 the products are BF16
     * dot products (pairs of exact products summed in FP32), faster than the FP32 kernels where a step
     * is compute-bound; elsewhere the rounded activations go through the FP32 kernels (FP16 weights
     * unrounded). Results stay independent of batch composition and thread count.
     */
    BF16(NativeApi.ACTIVATIONS_BF16);

    private final int code;

    Activations(int code) {
        this.code = code;
    }

    /** The native engine's code. */
    public int code() {
        return code;
    }

    /** Lower-case name as used on the command line ("int8"). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Activations parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activations '" + name + "' (fp32, int8, bf16)");
        }
    }
}
