// BF16 dot-product peak loop (vdpbf16ps, see PeakLoops.h). Compiled with
// -mavx512f -mavx512bf16; runs only where CPUID reports AVX512_BF16.
#include <immintrin.h>

#include "kernels/cpu/isa/PeakLoops.h"

namespace euclid::kernels {

float peak_dpbf16_avx512(int64_t iters, float seed) {
    // BF16 pairs (0.5, tiny): each step adds a small constant, finite for any run length.
    const __m512bh a = (__m512bh)_mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-7f), _mm512_set1_ps(1e-7f));
    const __m512bh b = (__m512bh)_mm512_cvtne2ps_pbh(_mm512_set1_ps(0.5f), _mm512_set1_ps(0.5f));
    __m512 acc[kPeakChains];
    for (int c = 0; c < kPeakChains; ++c) acc[c] = _mm512_set1_ps(seed + static_cast<float>(c));
    for (int64_t i = 0; i < iters; ++i) {
        for (int c = 0; c < kPeakChains; ++c) acc[c] = _mm512_dpbf16_ps(acc[c], a, b);
    }
    __m512 sum = acc[0];
    for (int c = 1; c < kPeakChains; ++c) sum = _mm512_add_ps(sum, acc[c]);
    return _mm512_reduce_add_ps(sum);
}

}  // namespace euclid::kernels
