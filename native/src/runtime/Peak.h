// Measures this machine's arithmetic peak: the ceiling for batched decode, which
// is compute-bound once enough sequences share each weight read.
#pragma once

#include <cstdint>

#include "euclid/euclid.h"

namespace euclid {

// FLOP/s of a PeakKind (euclid.h) reached by `threads` threads (0 = all cores)
// each running independent register-resident FMA chains, best of several
// passes of about `millis` ms.
// Uses AVX-512 when the CPU has it, else AVX2 + FMA; 0 when the CPU has neither
// (or, for PEAK_BF16_DOT, lacks AVX512_BF16). *isa_out (when not null) names the
// loop that ran: "avx512", "avx2", "avx512_bf16" or "none".
double flops_peak(int32_t kind, int32_t threads, int32_t millis, const char** isa_out);

}  // namespace euclid
