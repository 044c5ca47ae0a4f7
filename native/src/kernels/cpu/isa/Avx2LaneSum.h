// The fixed-order sum of an AVX2 vector's eight lanes (upper half onto lower, then pairs), for
// the AVX2 translation units (compiled with AVX2 flags) that end tiles with it.
#pragma once

#include <immintrin.h>

namespace euclid::kernels {

inline float lane_sum(__m256 v) {
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    return _mm_cvtss_f32(_mm_add_ss(q, _mm_shuffle_ps(q, q, 1)));
}

}  // namespace euclid::kernels
