// The int8-activation products of INT8, FP8, Q4_0, Q4_1, NVFP4 and MXFP4 weights in the 16-row VNNI
// layout (kernels/cpu/Vnni16.h) with AVX2, for CPUs without AVX-512 VNNI. A 256-bit vector holds 8
// rows' 4 values of one column quad (half of the layout's 64-byte line), so one vpmaddubsw against the
// quad's 4 activation bytes, broadcast, adds 2 products into 16-bit pairs for each of 8 rows. 4-bit
// blocks add their quads' pairs as 16-bit integers (no overflow: |pair| <= 2 * 24 * 127 = 6096 and at
// most four FP4 quads, 8 * 2 * 15 * 127 = 30480 for Q4) before one vpmaddwd makes each row's exact
// integer dot product; INT8 and FP8 pairs, up to 2 * 128 * 127, go to 32 bits quad by quad. Either
// way a 32-column block of 8 rows costs one conversion and one FMA per token instead of one per
// (row, token) as in a row-by-row kernel, which on Zen 3 left the 4-bit formats compute-bound at 50%
// of the read bandwidth and gave FP8 no int8 kernel at all.
//
// The integers are those of Int8Vnni16.cpp (offset terms, E2M1 codes as 12 + 2 * value, block scales
// decoded the same way) and every lane takes the same conversion, multiplies and FMAs in the same
// order, so an output does not depend on which of the two kernels the CPU runs (matmul_bench --check's
// FP8 hash on Zen 3 is the one Zen 4's VNNI kernel printed).
#include <immintrin.h>

#include "kernels/cpu/Vnni16.h"
#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels {
namespace {

template <int TYPE>
constexpr bool kFp4 = TYPE == WEIGHTS_NVFP4 || TYPE == WEIGHTS_MXFP4;

// INT8 and FP8 copies hold int8 values biased by kVnniInt8Bias: 8 full quads per block, no nibbles.
template <int TYPE>
constexpr bool kInt8Quads = TYPE == WEIGHTS_INT8 || TYPE == WEIGHTS_FP8;

template <int TYPE>
constexpr int32_t kOffset = TYPE == WEIGHTS_Q4_0 ? 8 : kFp4<TYPE> ? 12 : 0;

// 16-bit pair sums per block and token: FP4 keeps its first and second 16 columns apart (NVFP4's
// block scales differ there; MXFP4's eight quads would overflow 16 bits).
template <int TYPE>
constexpr int kParts = kFp4<TYPE> ? 2 : 1;

constexpr int kHalfRows = 8;


// 12 + 2 * the value of E2M1 code c, for c = 0..15, in each 128-bit lane (vpshufb's table).
inline __m256i e2m1_table() {
    return _mm256_broadcastsi128_si256(_mm_setr_epi8(12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0));
}

// Rows 8h..8h+7's scales of a block (NVFP4: of its first or second 16 columns), as Int8Vnni16.cpp
// makes them: an E4M3 byte shifted into a float's exponent and mantissa is its value times 2^-120, an
// E8M0 byte e shifted into the exponent is 2^(e-127) (e = 0: 2^-127); FP4's halved for their doubled
// values.
template <int TYPE>
inline __m256 block_scales(const uint8_t* block, int h, int part) {
    if constexpr (TYPE == WEIGHTS_NVFP4) {
        const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(block + 256 + 16 * part + 8 * h));
        const __m256i b = _mm256_cvtepu8_epi32(bytes);
        return _mm256_mul_ps(_mm256_castsi256_ps(_mm256_slli_epi32(b, 20)), _mm256_set1_ps(0x1p119f));
    } else if constexpr (TYPE == WEIGHTS_MXFP4) {
        const __m256i e = _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(block + 256 + 8 * h)));
        const __m256 p = _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
        const __m256 zero = _mm256_castsi256_ps(_mm256_cmpeq_epi32(e, _mm256_setzero_si256()));
        return _mm256_mul_ps(_mm256_blendv_ps(p, _mm256_set1_ps(0x1p-127f), zero), _mm256_set1_ps(0.5f));
    } else {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 256 + 16 * h)));
    }
}

// Block b of a 4-bit group (at `group`) into the FP32 sums of H halves of 8 rows (from half h0) by T
// tokens from t.
template <int TYPE, int H, int T>
inline void add_4bit_block(__m256 (&sum)[H][T], const uint8_t* group, int64_t b, const Int8Rows& a, int h0, int64_t t,
                           bool prefetch) {
    const __m256i low = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1), table = e2m1_table();
    const uint8_t* wb = group + b * vnni16_block_bytes(TYPE);
    __m256i pairs[H][kParts<TYPE>][T];
    #pragma GCC unroll 4
    for (int h = 0; h < H; ++h)
        #pragma GCC unroll 2
        for (int p = 0; p < kParts<TYPE>; ++p)
            #pragma GCC unroll 4
            for (int j = 0; j < T; ++j) pairs[h][p][j] = _mm256_setzero_si256();
    #pragma GCC unroll 4
    for (int q = 0; q < 4; ++q) {
        if (prefetch) _mm_prefetch(reinterpret_cast<const char*>(wb + 64 * q + kPrefetchAheadBytes), _MM_HINT_T0);
        // Vector q: quad q (columns 4q..) in the low nibbles, quad q + 4 (16 + 4q..) in the high.
        __m256i first[H], second[H];
        #pragma GCC unroll 4
        for (int h = 0; h < H; ++h) {
            const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(wb + 64 * q + 32 * (h0 + h)));
            first[h] = _mm256_and_si256(v, low);
            second[h] = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
            if constexpr (kFp4<TYPE>) {
                first[h] = _mm256_shuffle_epi8(table, first[h]);
                second[h] = _mm256_shuffle_epi8(table, second[h]);
            }
        }
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) {
            int32_t x4[2];
            __builtin_memcpy(&x4[0], a.row(t + j) + 32 * b + 4 * q, 4);
            __builtin_memcpy(&x4[1], a.row(t + j) + 32 * b + 16 + 4 * q, 4);
            const __m256i x_first = _mm256_set1_epi32(x4[0]), x_second = _mm256_set1_epi32(x4[1]);
            #pragma GCC unroll 4
            for (int h = 0; h < H; ++h) {
                auto& p0 = pairs[h][0][j];
                auto& p1 = pairs[h][kParts<TYPE> - 1][j];
                p0 = _mm256_add_epi16(p0, _mm256_maddubs_epi16(first[h], x_first));
                p1 = _mm256_add_epi16(p1, _mm256_maddubs_epi16(second[h], x_second));
            }
        }
    }
    if (prefetch) _mm_prefetch(reinterpret_cast<const char*>(wb + 256 + kPrefetchAheadBytes), _MM_HINT_T0);
    #pragma GCC unroll 4
    for (int h = 0; h < H; ++h) {
        const __m256 m = TYPE == WEIGHTS_Q4_1
                             ? _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(wb + 288 + 16 * (h0 + h))))
                             : _mm256_setzero_ps();
        if constexpr (TYPE == WEIGHTS_NVFP4) {
            const __m256 d0 = block_scales<TYPE>(wb, h0 + h, 0), d1 = block_scales<TYPE>(wb, h0 + h, 1);
            #pragma GCC unroll 4
            for (int j = 0; j < T; ++j) {
                const __m256 dx = _mm256_set1_ps(a.block_scale(t + j, b));
                const __m256i dot0 = _mm256_add_epi32(_mm256_madd_epi16(pairs[h][0][j], ones),
                                                      _mm256_set1_epi32(-kOffset<TYPE> * a.half_sum(t + j, 2 * b)));
                const __m256i dot1 = _mm256_add_epi32(_mm256_madd_epi16(pairs[h][1][j], ones),
                                                      _mm256_set1_epi32(-kOffset<TYPE> * a.half_sum(t + j, 2 * b + 1)));
                sum[h][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot0), _mm256_mul_ps(d0, dx), sum[h][j]);
                sum[h][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot1), _mm256_mul_ps(d1, dx), sum[h][j]);
            }
        } else {
            const __m256 d = block_scales<TYPE>(wb, h0 + h, 0);
            #pragma GCC unroll 4
            for (int j = 0; j < T; ++j) {
                const float scale = a.block_scale(t + j, b);
                __m256i dot = _mm256_madd_epi16(pairs[h][0][j], ones);
                if constexpr (kParts<TYPE> == 2) dot = _mm256_add_epi32(dot, _mm256_madd_epi16(pairs[h][1][j], ones));
                if constexpr (kOffset<TYPE> != 0) {
                    dot = _mm256_add_epi32(dot, _mm256_set1_epi32(-kOffset<TYPE> * a.block_sum(t + j, b)));
                }
                sum[h][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_mul_ps(d, _mm256_set1_ps(scale)), sum[h][j]);
                if constexpr (TYPE == WEIGHTS_Q4_1) {
                    const float dxs = scale * static_cast<float>(a.block_sum(t + j, b));
                    sum[h][j] = _mm256_fmadd_ps(m, _mm256_set1_ps(dxs), sum[h][j]);
                }
            }
        }
    }
}

// The same for an INT8 or FP8 group: 8 quads of int8 q + 128 per block, taken back to q. Its 16-bit
// pairs reach 2 * 128 * 127, so each quad's go to 32 bits at once; the sign trick multiplies |q| by
// x sign(q) (vpmaddubsw's first factor is unsigned).
template <int TYPE, int H, int T>
inline void add_int8_block(__m256 (&sum)[H][T], const uint8_t* group, int64_t b, const Int8Rows& a, int h0, int64_t t,
                           bool prefetch) {
    const __m256i unbias = _mm256_set1_epi8(static_cast<char>(0x80)), ones = _mm256_set1_epi16(1);
    const uint8_t* wb = group + vnni16_block_offset(TYPE, b);
    // FP8's exponent lines sit between its fours of blocks, where the per-quad prefetches below skip.
    if (TYPE == WEIGHTS_FP8 && prefetch && b % kFp8BlocksPerExponentLine == 0) {
        constexpr int64_t ahead = (kPrefetchAheadBytes / kFp8FourBytes + 1) * kFp8FourBytes;  // whole fours
        _mm_prefetch(reinterpret_cast<const char*>(group + vnni16_fp8_exponents_offset(b) + ahead), _MM_HINT_T0);
    }
    __m256i dot[H][T];
    #pragma GCC unroll 4
    for (int h = 0; h < H; ++h)
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) dot[h][j] = _mm256_setzero_si256();
    #pragma GCC unroll 8
    for (int q = 0; q < 8; ++q) {
        if (prefetch) _mm_prefetch(reinterpret_cast<const char*>(wb + 64 * q + kPrefetchAheadBytes), _MM_HINT_T0);
        __m256i wq[H], magnitude[H];
        #pragma GCC unroll 4
        for (int h = 0; h < H; ++h) {
            wq[h] = _mm256_xor_si256(_mm256_load_si256(reinterpret_cast<const __m256i*>(wb + 64 * q + 32 * (h0 + h))), unbias);
            magnitude[h] = _mm256_abs_epi8(wq[h]);
        }
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) {
            int32_t x4;
            __builtin_memcpy(&x4, a.row(t + j) + 32 * b + 4 * q, 4);
            const __m256i x = _mm256_set1_epi32(x4);
            #pragma GCC unroll 4
            for (int h = 0; h < H; ++h) {
                const __m256i pairs = _mm256_maddubs_epi16(magnitude[h], _mm256_sign_epi8(x, wq[h]));
                dot[h][j] = _mm256_add_epi32(dot[h][j], _mm256_madd_epi16(pairs, ones));
            }
        }
    }
    #pragma GCC unroll 4
    for (int h = 0; h < H; ++h) {
        // FP8: the rows' block steps 2^k, from their E8M0 bytes k + 127 (never 0).
        __m256 d = _mm256_set1_ps(1.0f);
        if constexpr (TYPE == WEIGHTS_FP8) {
            const auto* e = group + vnni16_fp8_exponents_offset(b) + kHalfRows * (h0 + h);
            d = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(e))), 23));
        }
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) {
            const __m256 dx = _mm256_set1_ps(a.block_scale(t + j, b));
            sum[h][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot[h][j]), TYPE == WEIGHTS_INT8 ? dx : _mm256_mul_ps(d, dx), sum[h][j]);
        }
    }
}

// H halves of 8 rows (from half h0 of group g) by T tokens from t.
template <int TYPE, int H, int T>
void tile(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t g, int h0,
          int64_t t) {
    const int64_t blocks = vnni16_blocks(w.cols);
    const uint8_t* group = w.vnni16 + g * vnni16_group_bytes(TYPE, blocks);
    // The group's first pass fetches its lines ahead (Int8Vnni16.cpp); later ones find them in cache.
    const bool prefetch = t == 0 && h0 == 0;
    __m256 sum[H][T];
    #pragma GCC unroll 4
    for (int h = 0; h < H; ++h)
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) sum[h][j] = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; ++b) {
        if constexpr (kInt8Quads<TYPE>) {
            add_int8_block<TYPE, H, T>(sum, group, b, a, h0, t, prefetch);
        } else {
            add_4bit_block<TYPE, H, T>(sum, group, b, a, h0, t, prefetch);
        }
    }
    #pragma GCC unroll 4
    for (int h = 0; h < H; ++h) {
        const int64_t r0 = g * kVnniRows + kHalfRows * (h0 + h), left = w.rows - r0;
        if (left <= 0) break;
        const int64_t n = left < kHalfRows ? left : kHalfRows;
        alignas(32) float add[kHalfRows] = {}, row_scales[kHalfRows] = {};
        if (bias) __builtin_memcpy(add, bias + r0, static_cast<size_t>(n) * sizeof(float));
        if (kInt8Quads<TYPE>) __builtin_memcpy(row_scales, w.scales + r0, static_cast<size_t>(n) * sizeof(float));
        const __m256 scale = kInt8Quads<TYPE>        ? _mm256_load_ps(row_scales)
                           : TYPE == WEIGHTS_NVFP4 ? _mm256_set1_ps(w.scales[0])
                                                   : _mm256_set1_ps(1.0f);
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) {
            float* o = out + (t + j) * out_stride + r0;
            const __m256 v = _mm256_fmadd_ps(sum[h][j], scale, _mm256_load_ps(add));
            if (n == kHalfRows) {
                _mm256_storeu_ps(o, v);
            } else {
                alignas(32) float lanes[kHalfRows];
                _mm256_store_ps(lanes, v);
                __builtin_memcpy(o, lanes, static_cast<size_t>(n) * sizeof(float));
            }
        }
    }
}

// Tokens per tile (8 rows): 4 ran 64-token products faster than 2, 3, 5 or 6 (Zen 3, one thread).
constexpr int kTokens = 4;

template <int TYPE, int T = kTokens - 1>
inline void token_rest(int64_t n, float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                       int64_t g, int h, int64_t t) {
    if constexpr (T > 0) {
        if (n == T) {
            tile<TYPE, 1, T>(out, out_stride, a, w, bias, g, h, t);
        } else {
            token_rest<TYPE, T - 1>(n, out, out_stride, a, w, bias, g, h, t);
        }
    }
}

// Group outside, its halves and tokens inside: the group's rows stay in cache for all of them. One
// token (decode) takes both halves at once, each weight line read once.
template <int TYPE>
void groups(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t n,
            int64_t g0, int64_t g1) {
    for (int64_t g = g0; g < g1; ++g) {
        if (n == 1) {
            tile<TYPE, 2, 1>(out, out_stride, a, w, bias, g, 0, 0);
            continue;
        }
        for (int h = 0; h < 2 && g * kVnniRows + kHalfRows * h < w.rows; ++h) {
            int64_t t = 0;
            for (; t + kTokens <= n; t += kTokens) tile<TYPE, 1, kTokens>(out, out_stride, a, w, bias, g, h, t);
            token_rest<TYPE>(n - t, out, out_stride, a, w, bias, g, h, t);
        }
    }
}

}  // namespace

void matmul_groups_int8_avx2(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
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
