// The int8-activation products of INT8, FP8, Q4_0, Q4_1, NVFP4 and MXFP4 weights in the 16-row VNNI
// layout (kernels/cpu/Vnni16.h) with AVX-512 VNNI. A tile is one group of 16 rows (one zmm lane each)
// by up to 8 tokens. Per 32-column block, each token's integer accumulator starts with the term of the
// offset the unsigned weights carry (INT8, FP8: -128 * the block's sum of x; Q4_0: -8 * it; Q4_1:
// none; FP4: -12 * it, see below), takes 8 vpdpbusd (4 columns each, x broadcast), is converted and
// multiplied by the block's activation scale (FP8 and 4-bit: times the rows' block scales) and added
// to the token's FP32 sum, blocks in order; Q4_1 adds its minimums' term, m * d_x * sum(x). NVFP4's
// blocks are 16 columns: each half of a 32-column block has its own accumulator, offset and scale, the
// first half added first. Row scale (INT8, FP8; NVFP4: the tensor scale) and bias come last:
// out = sum * scale + bias, one rounding.
//
// E2M1 values times 2 are the integers 0, +-1, +-2, +-3, +-4, +-6, +-8, +-12: a byte shuffle maps a
// code to 12 + 2 * value (0-24, unsigned), and the block scales are halved (exactly).
#include <immintrin.h>

#include "kernels/cpu/Vnni16.h"
#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels {
namespace {

template <int TYPE>
constexpr bool kFp4 = TYPE == WEIGHTS_NVFP4 || TYPE == WEIGHTS_MXFP4;

// INT8 and FP8 blocks hold int8 values biased by kVnniInt8Bias: 8 full quads per block, no nibbles.
template <int TYPE>
constexpr bool kInt8Quads = TYPE == WEIGHTS_INT8 || TYPE == WEIGHTS_FP8;

template <int TYPE>
constexpr int32_t kOffset = kInt8Quads<TYPE> ? kVnniInt8Bias : TYPE == WEIGHTS_Q4_0 ? 8 : kFp4<TYPE> ? 12 : 0;

// 12 + 2 * the value of E2M1 code c, for c = 0..15, in each 128-bit lane (vpshufb's table).
inline __m512i e2m1_table() {
    return _mm512_broadcast_i32x4(_mm_setr_epi8(12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0));
}

// Quad q (0-7) of a group's block: 16 rows x 4 unsigned values.
template <int TYPE>
inline __m512i quad(const uint8_t* block, int q, __m512i table) {
    if constexpr (kInt8Quads<TYPE>) {
        return _mm512_load_si512(block + 64 * q);
    } else {
        const __m512i v = _mm512_loadu_si512(block + 64 * (q % 4));
        const __m512i nibbles = _mm512_and_si512(q < 4 ? v : _mm512_srli_epi16(v, 4), _mm512_set1_epi8(0x0F));
        return kFp4<TYPE> ? _mm512_shuffle_epi8(table, nibbles) : nibbles;
    }
}

// The 16 rows' scales of a block (of its first or second 16 columns for NVFP4): FP8's 2^k, Q4's FP16,
// FP4's halved for their doubled values. An E4M3 byte b (sign 0) shifted into a float's exponent and
// mantissa is b's value times 2^-120, subnormals included (as float subnormals); an E8M0 byte e is
// 2^(e-127), e = 0 (2^-127) as a float subnormal (FP8's exponents are never 0).
template <int TYPE>
inline __m512 block_scales(const uint8_t* block, int half, const uint8_t* exponents) {
    if constexpr (TYPE == WEIGHTS_FP8) {
        const __m512i e = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(exponents)));
        return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
    } else if constexpr (TYPE == WEIGHTS_NVFP4) {
        const __m512i b = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 256 + 16 * half)));
        return _mm512_mul_ps(_mm512_castsi512_ps(_mm512_slli_epi32(b, 20)), _mm512_set1_ps(0x1p119f));
    } else if constexpr (TYPE == WEIGHTS_MXFP4) {
        const __m512i e = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 256)));
        const __m512 p = _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
        return _mm512_mul_ps(_mm512_mask_mov_ps(p, _mm512_cmpeq_epi32_mask(e, _mm512_setzero_si512()), _mm512_set1_ps(0x1p-127f)),
                             _mm512_set1_ps(0.5f));
    } else {
        return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 256)));
    }
}

// Q4_1's 16 rows' block minimums.
inline __m512 block_minimums(const uint8_t* block) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 288)));
}

template <int TYPE, int T>
void group_tile(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t g,
                int64_t t) {
    const int64_t blocks = vnni16_blocks(w.cols);
    const uint8_t* base = w.vnni16 + g * vnni16_group_bytes(TYPE, blocks);
    const __m512i table = e2m1_table();
    // NVFP4: the two halves of a block accumulate apart (their weight scales differ).
    constexpr int kHalves = TYPE == WEIGHTS_NVFP4 ? 2 : 1;
    // A group's weights are one stream: the first token tile fetches its lines kPrefetchAheadBytes
    // ahead while it uses these (without, batch-1 decode ran 5-10% slower and a 4-token step, whose
    // tile did not prefetch, 2x a 1-token one); later tiles find the group in cache.
    const bool prefetch = t == 0;
    __m512 sum[T];
    #pragma GCC unroll 8
    for (int j = 0; j < T; ++j) sum[j] = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; ++b) {
        const uint8_t* wb = base + vnni16_block_offset(TYPE, b);
        // FP8's exponent lines sit between its fours of blocks, where the per-block prefetches below skip.
        if (TYPE == WEIGHTS_FP8 && prefetch && b % kFp8BlocksPerExponentLine == 0) {
            constexpr int64_t ahead = (kPrefetchAheadBytes / kFp8FourBytes + 1) * kFp8FourBytes;  // whole fours
            _mm_prefetch(reinterpret_cast<const char*>(base + vnni16_fp8_exponents_offset(b) + ahead), _MM_HINT_T0);
        }
        __m512i dot[kHalves][T];
        #pragma GCC unroll 8
        for (int j = 0; j < T; ++j) {
            if constexpr (kHalves == 2) {
                dot[0][j] = _mm512_set1_epi32(-kOffset<TYPE> * a.half_sum(t + j, 2 * b));
                dot[1][j] = _mm512_set1_epi32(-kOffset<TYPE> * a.half_sum(t + j, 2 * b + 1));
            } else {
                dot[0][j] = kInt8Quads<TYPE> ? _mm512_set1_epi32(a.int8_offset(t + j, b))
                                             : _mm512_set1_epi32(-kOffset<TYPE> * a.block_sum(t + j, b));
            }
        }
        #pragma GCC unroll 8
        for (int q = 0; q < 8; ++q) {
            if (prefetch && (kInt8Quads<TYPE> || q < 4)) {
                _mm_prefetch(reinterpret_cast<const char*>(wb + 64 * q + kPrefetchAheadBytes), _MM_HINT_T0);
            }
            const __m512i wv = quad<TYPE>(wb, q, table);
            const int64_t col = 32 * b + (kInt8Quads<TYPE> ? 4 * q : q < 4 ? 4 * q : 16 + 4 * (q - 4));
            const int h = q >= 4 ? kHalves - 1 : 0;  // NVFP4: quads 4-7 are the second 16 columns
            #pragma GCC unroll 8
            for (int j = 0; j < T; ++j) {
                int32_t x4;
                __builtin_memcpy(&x4, a.row(t + j) + col, 4);
                dot[h][j] = _mm512_dpbusd_epi32(dot[h][j], wv, _mm512_set1_epi32(x4));
            }
        }
        if constexpr (TYPE == WEIGHTS_INT8) {
            #pragma GCC unroll 8
            for (int j = 0; j < T; ++j) {
                sum[j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[0][j]), _mm512_set1_ps(a.block_scale(t + j, b)), sum[j]);
            }
        } else {
            if (prefetch && TYPE != WEIGHTS_FP8) {
                _mm_prefetch(reinterpret_cast<const char*>(wb + 256 + kPrefetchAheadBytes), _MM_HINT_T0);
            }
            const __m512 m = TYPE == WEIGHTS_Q4_1 ? block_minimums(wb) : _mm512_setzero_ps();
            #pragma GCC unroll 2
            for (int h = 0; h < kHalves; ++h) {
                const __m512 d = block_scales<TYPE>(wb, h, base + vnni16_fp8_exponents_offset(b));
                #pragma GCC unroll 8
                for (int j = 0; j < T; ++j) {
                    const float dx = a.block_scale(t + j, b);
                    sum[j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[h][j]), _mm512_mul_ps(d, _mm512_set1_ps(dx)), sum[j]);
                    if constexpr (TYPE == WEIGHTS_Q4_1) {
                        const float dxs = dx * static_cast<float>(a.block_sum(t + j, b));
                        sum[j] = _mm512_fmadd_ps(m, _mm512_set1_ps(dxs), sum[j]);
                    }
                }
            }
        }
    }
    const int64_t r0 = g * kVnniRows, left = w.rows - r0;
    const __mmask16 rows = left >= kVnniRows ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << left) - 1);
    const __m512 scale = kInt8Quads<TYPE>       ? _mm512_maskz_loadu_ps(rows, w.scales + r0)
                       : TYPE == WEIGHTS_NVFP4 ? _mm512_set1_ps(w.scales[0])
                                               : _mm512_set1_ps(1.0f);
    const __m512 add = bias ? _mm512_maskz_loadu_ps(rows, bias + r0) : _mm512_setzero_ps();
    #pragma GCC unroll 8
    for (int j = 0; j < T; ++j) _mm512_mask_storeu_ps(out + (t + j) * out_stride + r0, rows, _mm512_fmadd_ps(sum[j], scale, add));
}

constexpr int kTokens = 8;

template <int TYPE, int T = kTokens - 1>
inline void token_rest(int64_t n, float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                       int64_t g, int64_t t) {
    if constexpr (T > 0) {
        if (n == T) {
            group_tile<TYPE, T>(out, out_stride, a, w, bias, g, t);
        } else {
            token_rest<TYPE, T - 1>(n, out, out_stride, a, w, bias, g, t);
        }
    }
}

// Group outside, tokens inside: a group's rows stay in cache for all tokens.
template <int TYPE>
void groups(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t n,
            int64_t g0, int64_t g1) {
    for (int64_t g = g0; g < g1; ++g) {
        int64_t t = 0;
        for (; t + kTokens <= n; t += kTokens) group_tile<TYPE, kTokens>(out, out_stride, a, w, bias, g, t);
        token_rest<TYPE>(n - t, out, out_stride, a, w, bias, g, t);
    }
}

}  // namespace

void matmul_groups_int8_vnni(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t g0, int64_t g1) {
    switch (w.type) {
        case WEIGHTS_Q4_0: groups<WEIGHTS_Q4_0>(out, out_stride, a, w, bias, n, g0, g1); break;
        case WEIGHTS_Q4_1: groups<WEIGHTS_Q4_1>(out, out_stride, a, w, bias, n, g0, g1); break;
        case WEIGHTS_NVFP4: groups<WEIGHTS_NVFP4>(out, out_stride, a, w, bias, n, g0, g1); break;
        case WEIGHTS_MXFP4: groups<WEIGHTS_MXFP4>(out, out_stride, a, w, bias, n, g0, g1); break;
        case WEIGHTS_FP8: groups<WEIGHTS_FP8>(out, out_stride, a, w, bias, n, g0, g1); break;
        default: groups<WEIGHTS_INT8>(out, out_stride, a, w, bias, n, g0, g1); break;
    }
}

}  // namespace euclid::kernels
