// FP32 FMA peak loop for AVX-512F (see PeakLoops.h). Compiled with -mavx512f.
#include <immintrin.h>

#include "kernels/cpu/isa/PeakLoops.h"

namespace euclid::kernels {

float peak_fma_avx512(int64_t iters, float seed) {
    const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(seed * 1e-7f);
    __m512 acc[kPeakChains];
    for (int c = 0; c < kPeakChains; ++c) acc[c] = _mm512_set1_ps(seed + static_cast<float>(c));
    for (int64_t i = 0; i < iters; ++i) {
        for (int c = 0; c < kPeakChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
    }
    __m512 sum = acc[0];
    for (int c = 1; c < kPeakChains; ++c) sum = _mm512_add_ps(sum, acc[c]);
    return _mm512_reduce_add_ps(sum);
}

}  // namespace euclid::kernels
