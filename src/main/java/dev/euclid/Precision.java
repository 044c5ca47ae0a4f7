package dev.euclid;

import dev.euclid.internal.NativeApi;
import java.util.Locale;

/**
 * How an engine stores its weight matrices. Norms and biases always stay FP32; accumulation is FP32
 * whatever the weights are, and so are the activations unless {@link Activations#INT8} or {@link
 * Activations#BF16} is asked for.
 */
public enum Precision {
    /** 4 bytes per weight: exact. */
    FP32(NativeApi.WEIGHTS_F32),
    /** bfloat16: 2 bytes, FP32's range with 8 bits of mantissa. */
    BF16(NativeApi.WEIGHTS_BF16),
    /** IEEE half: 2 bytes, 11 bits of mantissa. */
    FP16(NativeApi.WEIGHTS_F16),
    /** FP8 E4M3 with one FP32 scale per output channel (absmax / 448): 1 byte. */
    FP8(NativeApi.WEIGHTS_FP8),
    /** Symmetric int8 with one FP32 scale per output channel (absmax / 127): 1 byte. */
    INT8(NativeApi.WEIGHTS_INT8),
    /**
     * NVIDIA's NVFP4: E2M1 values in blocks of 16 sharing an FP8 E4M3 scale, times one FP32 scale per
     * matrix: 4.5 bits per weight.
     */
    NVFP4(NativeApi.WEIGHTS_NVFP4),
    /** OCP MXFP4: E2M1 values in blocks of 32 sharing a power-of-two (E8M0) scale: 4.25 bits per weight. */
    MXFP4(NativeApi.WEIGHTS_MXFP4),
    /** OCP MXFP8: FP8 E4M3 values in blocks of 32 sharing a power-of-two (E8M0) scale: 8.25 bits per weight. */
    MXFP8(NativeApi.WEIGHTS_MXFP8),
    /**
     * GGUF's Q4_0: blocks of 32 weights as an FP16 scale and 4-bit values (w = d (q - 8)), 4.5 bits
     * per weight. Matrices whose rows are not whole blocks are stored as INT8; opened from GGUF,
     * 5- to 8-bit tensors stay INT8 and Q4_K becomes Q4_1 (see README, GGUF quantised weights).
     */
    Q4_0(NativeApi.WEIGHTS_Q4_0),
    /** GGUF's Q4_1: as {@link #Q4_0} with an FP16 minimum per block too (w = d q + m), 5 bits per weight. */
    Q4_1(NativeApi.WEIGHTS_Q4_1);

    private final int code;

    Precision(int code) {
        this.code = code;
    }

    /** The native engine's code for this precision. */
    public int code() {
        return code;
    }

    /** Lower-case name as used on the command line and in engine files ("fp8"). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision ofCode(int code) {
        for (Precision p : values()) {
            if (p.code == code) return p;
        }
        throw new IllegalArgumentException("unknown weight precision code " + code);
    }

    /** Parses "fp8", "FP16", ... */
    public static Precision parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weight precision '" + name + "' (fp32, bf16, fp16, fp8, int8, nvfp4, mxfp4, mxfp8, q4_0, q4_1)");
        }
    }
}
