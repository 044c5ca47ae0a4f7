// AVX-512 decoding of the block-scaled formats (quant/Mx.h) for Avx512.cpp's
// tiles: 16 weights from element k (a multiple of 16) of a row, each exactly
// code value x block scale, as FP32. Included only by AVX-512 code.
#pragma once

#include <immintrin.h>

#include "quant/Mx.h"

namespace euclid::kernels::mx512 {

// 8 bytes of E2M1 code pairs -> 16 floats. Code k sits at bits 4k of the 8 bytes read
// little-endian: lanes 0-7 take the low 4 bytes, lanes 8-15 the high 4, each shifted
// right by 4 x (k mod 8), and the result indexes the 16-entry value table (vpermps
// reads only an index's low 4 bits, so nothing needs masking). Two broadcasts, one
// shift and one permute: fewer vector ops than widening the nibbles byte by byte,
// which on a core that splits 512-bit ops (Zen 4) is what limits 4-bit decode.
inline __m512 e2m1_to_ps(const uint8_t* q) {
    int32_t lo, hi;
    __builtin_memcpy(&lo, q, 4);
    __builtin_memcpy(&hi, q + 4, 4);
    const __m512i codes = _mm512_mask_set1_epi32(_mm512_set1_epi32(lo), 0xFF00, hi);
    const __m512i shifts = _mm512_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28, 0, 4, 8, 12, 16, 20, 24, 28);
    return _mm512_permutexvar_ps(_mm512_srlv_epi32(codes, shifts), _mm512_loadu_ps(kMxTables.e2m1));
}

// 16 E4M3 bytes -> FP32 of value / 256 (FP8 and MXFP8; the 256 goes into the row
// multiplier). As FP16 bits the exponent field moves from bias 7 to bias 15 for
// free, and subnormals stay exact. Sign-extending the byte puts the sign at bit 15
// after the shift (and a stray copy at bit 14, masked off): three integer ops.
inline __m512 fp8_to_ps(__m128i bytes) {
    const __m256i w = _mm256_slli_epi16(_mm256_cvtepi8_epi16(bytes), 7);
    return _mm512_cvtph_ps(_mm256_and_si256(w, _mm256_set1_epi16(static_cast<short>(0xBFFF))));
}

template <int TYPE>
inline __m512 load_w(const uint8_t* row, int64_t k) {
    if constexpr (TYPE == WEIGHTS_NVFP4) {
        const auto* b = reinterpret_cast<const Nvfp4Block*>(row) + k / kNvfp4BlockValues;
        return _mm512_mul_ps(e2m1_to_ps(b->q), _mm512_set1_ps(kMxTables.e4m3[b->scale]));
    } else if constexpr (TYPE == WEIGHTS_MXFP4) {
        const auto* b = reinterpret_cast<const Mxfp4Block*>(row) + k / kMxBlockValues;
        return _mm512_mul_ps(e2m1_to_ps(b->q + (k & 16) / 2), _mm512_set1_ps(kMxTables.e8m0[b->scale]));
    } else {
        const auto* b = reinterpret_cast<const Mxfp8Block*>(row) + k / kMxBlockValues;
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b->q + (k & 16)));
        return _mm512_mul_ps(fp8_to_ps(bytes), _mm512_set1_ps(kMxTables.e8m0[b->scale]));
    }
}

// What the tile's sum is multiplied by: NVFP4's tensor scale, MXFP8's 256.
template <int TYPE>
inline float row_multiplier(const float* scales) {
    if constexpr (TYPE == WEIGHTS_NVFP4) return scales[0];
    if constexpr (TYPE == WEIGHTS_MXFP8) return 256.0f;
    return 1.0f;
}

}  // namespace euclid::kernels::mx512
