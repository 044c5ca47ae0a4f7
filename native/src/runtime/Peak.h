// Measures this machine's arithmetic peak: the ceiling for batched decode, which
// is compute-bound once enough sequences share each weight read.
#pragma once

#include <cstdint>

namespace euclid {

// What the peak loop computes: FP32 FMA (what the matmul kernels run: they widen
// every weight format to FP32 and accumulate with FP32 FMA), or the BF16
// dot-product instruction vdpbf16ps (for information: no kernel uses it yet).
enum PeakKind : int32_t { PEAK_FP32_FMA = 0, PEAK_BF16_DOT = 1 };

// FLOP/s reached by `threads` threads (0 = all cores) each running independent
// register-resident FMA chains, best of several passes of about `millis` ms.
// Uses AVX-512 when the CPU has it, else AVX2 + FMA; 0 when the CPU has neither
// (or, for PEAK_BF16_DOT, lacks AVX512_BF16). *isa_out (when not null) names the
// loop that ran: "avx512", "avx2", "avx512_bf16" or "none".
double flops_peak(int32_t kind, int32_t threads, int32_t millis, const char** isa_out);

}  // namespace euclid
