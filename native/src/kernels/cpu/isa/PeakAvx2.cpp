// FP32 FMA peak loop for AVX2 + FMA (see PeakLoops.h). Compiled with -mavx2 -mfma.
#include <immintrin.h>

#include "kernels/cpu/isa/PeakLoops.h"

namespace euclid::kernels {

float peak_fma_avx2(int64_t iters, float seed) {
    // a close to 1 and b tiny keep every chain finite however long it runs.
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(seed * 1e-7f);
    __m256 acc[kPeakChains];
    for (int c = 0; c < kPeakChains; ++c) acc[c] = _mm256_set1_ps(seed + static_cast<float>(c));
    for (int64_t i = 0; i < iters; ++i) {
        for (int c = 0; c < kPeakChains; ++c) acc[c] = _mm256_fmadd_ps(acc[c], a, b);
    }
    __m256 sum = acc[0];
    for (int c = 1; c < kPeakChains; ++c) sum = _mm256_add_ps(sum, acc[c]);
    alignas(32) float lanes[8];
    _mm256_store_ps(lanes, sum);
    float s = 0.0f;
    for (float v : lanes) s += v;
    return s;
}

}  // namespace euclid::kernels
