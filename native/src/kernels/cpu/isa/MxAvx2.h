// AVX2 decoding of the block-scaled formats (quant/Mx.h) for Avx2.cpp's tiles: 8
// weights from element k (a multiple of 8) of a row, each exactly code value x
// block scale, as FP32. Included only by AVX2 code.
#pragma once

#include <immintrin.h>

#include "quant/Mx.h"

namespace euclid::kernels::mx256 {

// 8 E4M3 bytes -> FP32 of value / 256 (FP8 and MXFP8; the 256 goes into the row
// multiplier), through the FP16 bit pattern as Avx512.cpp does it.
inline __m256 fp8_to_ps(__m128i bytes) {
    const __m128i w = _mm_slli_epi16(_mm_cvtepi8_epi16(bytes), 7);
    return _mm256_cvtph_ps(_mm_and_si128(w, _mm_set1_epi16(static_cast<short>(0xBFFF))));
}

// E2M1 code pairs -> twice their values as int8 (-12 .. 12, integers), in element order:
// the low 8 bytes of each 128-bit lane (element 2i in the low nibble of byte i) become
// that lane's 16 values. Each byte is interleaved with itself shifted down a nibble, and
// one byte shuffle looks the codes up.
inline __m256i e2m1_twice_epi8(__m256i pairs) {
    const __m256i codes = _mm256_and_si256(_mm256_unpacklo_epi8(pairs, _mm256_srli_epi16(pairs, 4)), _mm256_set1_epi8(0x0F));
    const __m256i twice = _mm256_setr_epi8(0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12,
                                           0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12);
    return _mm256_shuffle_epi8(twice, codes);
}

// 4 bytes of E2M1 code pairs -> 8 floats of twice their value, which widen exactly.
// The 1/2 goes into the block scale.
inline __m256 e2m1_to_ps_twice(const uint8_t* q) {
    int32_t four;
    __builtin_memcpy(&four, q, 4);
    const __m256i twice = e2m1_twice_epi8(_mm256_castsi128_si256(_mm_cvtsi32_si128(four)));
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm256_castsi256_si128(twice)));
}

template <int TYPE>
inline __m256 load_w(const uint8_t* row, int64_t k) {
    if constexpr (TYPE == WEIGHTS_NVFP4) {
        const auto* b = reinterpret_cast<const Nvfp4Block*>(row) + k / kNvfp4BlockValues;
        return _mm256_mul_ps(e2m1_to_ps_twice(b->q + (k & 8) / 2), _mm256_set1_ps(kMxTables.e4m3[b->scale] * 0.5f));
    } else if constexpr (TYPE == WEIGHTS_MXFP4) {
        const auto* b = reinterpret_cast<const Mxfp4Block*>(row) + k / kMxBlockValues;
        return _mm256_mul_ps(e2m1_to_ps_twice(b->q + (k & 24) / 2), _mm256_set1_ps(kMxTables.e8m0[b->scale] * 0.5f));
    } else {
        const auto* b = reinterpret_cast<const Mxfp8Block*>(row) + k / kMxBlockValues;
        const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(b->q + (k & 24)));
        return _mm256_mul_ps(fp8_to_ps(bytes), _mm256_set1_ps(kMxTables.e8m0[b->scale]));
    }
}

// What the tile's sum is multiplied by: NVFP4's tensor scale, MXFP8's 256.
template <int TYPE>
inline float row_multiplier(const float* scales) {
    if constexpr (TYPE == WEIGHTS_NVFP4) return scales[0];
    if constexpr (TYPE == WEIGHTS_MXFP8) return 256.0f;
    return 1.0f;
}

}  // namespace euclid::kernels::mx256
