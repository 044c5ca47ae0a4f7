package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Diagnostics;
import dev.euclid.Diagnostics.Arithmetic;

/**
 * This machine's arithmetic peak at one thread count, measured by the native probe
 * ({@code measure_flops_peak}: independent FMA chains in registers, best of five passes).
 *
 * <p>FP32 FMA is the reference for Euclid's kernels: the matmuls widen every weight format
 * (FP16, BF16, FP8, INT8) to FP32 and accumulate with FP32 FMA, so that is the instruction whose
 * throughput bounds batched decode. The BF16 dot-product peak (vdpbf16ps) is reported for
 * information, as the ceiling a BF16 kernel could reach; 0 when the CPU lacks AVX512_BF16.
 *
 * @param fp32Flops FP32 FMA FLOP/s (an FMA counts two)
 * @param fp32Isa the loop that ran: "avx512" or "avx2"
 * @param bf16Flops vdpbf16ps FLOP/s (32 multiplies and 32 adds per instruction), or 0
 */
public record ArithmeticPeak(int threads, double fp32Flops, String fp32Isa, double bf16Flops, String bf16Isa) {
    /** Passes of about this many milliseconds each. */
    static final int PASS_MILLIS = 200;

    public static ArithmeticPeak measure(int threads) {
        return new ArithmeticPeak(threads, Diagnostics.arithmeticPeakFlops(Arithmetic.FP32_FMA, threads, PASS_MILLIS),
                Diagnostics.arithmeticPeakIsa(Arithmetic.FP32_FMA),
                Diagnostics.arithmeticPeakFlops(Arithmetic.BF16_DOT, threads, PASS_MILLIS),
                Diagnostics.arithmeticPeakIsa(Arithmetic.BF16_DOT));
    }

    /** Keeps the best of two probes of the same machine (a busy neighbour only ever lowers one). */
    public ArithmeticPeak max(ArithmeticPeak o) {
        return new ArithmeticPeak(threads, Math.max(fp32Flops, o.fp32Flops), fp32Isa, Math.max(bf16Flops, o.bf16Flops), bf16Isa);
    }

    void addTo(ObjectNode o) {
        o.put("peak_threads", threads);
        o.put("peak_fp32_fma_flops", fp32Flops);
        o.put("peak_fp32_fma_isa", fp32Isa);
        if (bf16Flops > 0) {
            o.put("peak_bf16_dot_flops", bf16Flops);
            o.put("peak_bf16_dot_isa", bf16Isa);
        }
    }
}
