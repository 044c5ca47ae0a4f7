// AVX-512 kernels (F, BW, VL + F16C/FMA). Compiled with those flags; only
// called when the CPU reports them (see Dispatch.cpp).
#include <immintrin.h>

#include "kernels/cpu/isa/Avx512Tile.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "kernels/cpu/isa/MxAvx512.h"

namespace euclid::kernels {
namespace {

// Fixed-order horizontal sum (gcc 12's _mm512_reduce_add_ps trips -Wuninitialized).
inline float hsum(__m512 v) {
    const __m256 lo = _mm512_castps512_ps256(v);
    const __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1));
    __m256 s = _mm256_add_ps(lo, hi);
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
    return _mm_cvtss_f32(q);
}

using avx512::RowAffine;
using avx512::store_tile;
using mx512::fp8_to_ps;

// 16 weights of one row from element k, as FP32 (unscaled); a mask loads a partial
// tail (blocked formats store whole, zero-padded blocks and need none).
template <int TYPE>
inline __m512 load_w(const uint8_t* row, int64_t k, __mmask16 m) {
    if constexpr (weight_type_blocked(TYPE)) {
        return mx512::load_w<TYPE>(row, k);
    } else if constexpr (TYPE == WEIGHTS_F32) {
        return _mm512_maskz_loadu_ps(m, reinterpret_cast<const float*>(row) + k);
    } else if constexpr (TYPE == WEIGHTS_BF16) {
        const __m256i h = _mm256_maskz_loadu_epi16(m, row + 2 * k);
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    } else if constexpr (TYPE == WEIGHTS_F16) {
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, row + 2 * k));
    } else if constexpr (TYPE == WEIGHTS_FP8) {
        return fp8_to_ps(_mm_maskz_loadu_epi8(m, row + k));
    } else {
        return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, row + k)));
    }
}

template <int TYPE>
inline float row_multiplier(const Matrix& w, int64_t r) {
    if constexpr (TYPE == WEIGHTS_FP8) return w.scales[r] * 256.0f;
    if constexpr (TYPE == WEIGHTS_INT8) return w.scales[r];
    if constexpr (weight_type_blocked(TYPE)) return mx512::row_multiplier<TYPE>(w.scales);
    return 1.0f;
}

template <int TYPE>
inline RowAffine row_multipliers(const Matrix& w, const float* bias, int64_t r, int rows) {
    alignas(16) float m[4] = {0.0f, 0.0f, 0.0f, 0.0f}, b[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (int i = 0; i < rows; ++i) {
        m[i] = row_multiplier<TYPE>(w, r + i);
        b[i] = bias ? bias[r + i] : 0.0f;
    }
    return {_mm512_broadcast_f32x4(_mm_load_ps(m)), _mm512_broadcast_f32x4(_mm_load_ps(b))};
}

// R rows x T tokens of outputs, one accumulator each (see the contract in KernelTable.h).
template <int TYPE, int R, int T>
void tile(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t r, int64_t t) {
    const int64_t cols = w.cols, row_bytes = weight_row_bytes(TYPE, cols);
    const uint8_t* rows[R];
    #pragma GCC unroll 8
    for (int i = 0; i < R; ++i) rows[i] = w.data + (r + i) * row_bytes;
    const float* xs = x + t * cols;
    // Whole rows ahead, at least kPrefetchAheadBytes; only the first token tile of
    // a row tile prefetches (the later ones re-read these rows from cache).
    const int64_t ahead_rows = row_bytes * R >= kPrefetchAheadBytes ? R : (kPrefetchAheadBytes + row_bytes - 1) / row_bytes;
    const int64_t ahead = t == 0 ? ahead_rows * row_bytes : 0;
    __m512 acc[R][T];
    #pragma GCC unroll 8
    for (int i = 0; i < R; ++i)
        #pragma GCC unroll 8
        for (int j = 0; j < T; ++j) acc[i][j] = _mm512_setzero_ps();
    int64_t k = 0;
    for (; k + 16 <= cols; k += 16) {
        __m512 xv[T];
        #pragma GCC unroll 8
        for (int j = 0; j < T; ++j) xv[j] = _mm512_loadu_ps(xs + j * cols + k);
        if (ahead != 0 && (k & (prefetch_stride(TYPE, 16) - 1)) == 0) {
            #pragma GCC unroll 8
            for (int i = 0; i < R; ++i) {
                _mm_prefetch(reinterpret_cast<const char*>(rows[i] + ahead + weight_row_bytes(TYPE, k)), _MM_HINT_T1);
            }
        }
        #pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            const __m512 wv = load_w<TYPE>(rows[i], k, 0xFFFF);
            #pragma GCC unroll 8
            for (int j = 0; j < T; ++j) acc[i][j] = _mm512_fmadd_ps(wv, xv[j], acc[i][j]);
        }
    }
    if (k < cols) {
        const __mmask16 m = static_cast<__mmask16>((1u << (cols - k)) - 1);
        __m512 xv[T];
        #pragma GCC unroll 8
        for (int j = 0; j < T; ++j) xv[j] = _mm512_maskz_loadu_ps(m, xs + j * cols + k);
        #pragma GCC unroll 8
        for (int i = 0; i < R; ++i) {
            const __m512 wv = load_w<TYPE>(rows[i], k, m);
            #pragma GCC unroll 8
            for (int j = 0; j < T; ++j) acc[i][j] = _mm512_fmadd_ps(wv, xv[j], acc[i][j]);
        }
    }
    store_tile<R, T>(out + t * out_stride + r, out_stride, acc, row_multipliers<TYPE>(w, bias, r, R));
}

// 4 rows x 6 tokens: 24 accumulators, 6 activation vectors and the widened weight
// vector take 31 of the 32 zmm registers. Each weight vector is widened (4 integer/
// convert uops for FP8) once per k step and feeds T FMAs, so more tokens per tile
// means less widening per FMA: on Zen 5 the 48-token qwen0.5b FP8 decode step ran at
// 64% of the FMA peak with 4 x 4 and 75% with 4 x 6 (native/bench, one thread);
// in a loop-only probe 5 x 5, 8 x 3 and 3 x 8 were slower than 4 x 6. The
// accumulator loops are unrolled explicitly: left to itself gcc 12 keeps acc[][]
// in memory (measured 1.2x slower).
constexpr int kMaxRows = 4, kMaxTokens = 6;

template <int TYPE, int R>
void tokens(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t n, int64_t r) {
    int64_t t = 0;
    for (; t + kMaxTokens <= n; t += kMaxTokens) tile<TYPE, R, kMaxTokens>(out, out_stride, x, w, bias, r, t);
    switch (n - t) {
        case 5: tile<TYPE, R, 5>(out, out_stride, x, w, bias, r, t); break;
        case 4: tile<TYPE, R, 4>(out, out_stride, x, w, bias, r, t); break;
        case 3: tile<TYPE, R, 3>(out, out_stride, x, w, bias, r, t); break;
        case 2: tile<TYPE, R, 2>(out, out_stride, x, w, bias, r, t); break;
        case 1: tile<TYPE, R, 1>(out, out_stride, x, w, bias, r, t); break;
        default: break;
    }
}

template <int TYPE>
void matmul_rows_typed(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t n,
                       int64_t r0, int64_t r1) {
    int64_t r = r0;
    for (; r + kMaxRows <= r1; r += kMaxRows) tokens<TYPE, kMaxRows>(out, out_stride, x, w, bias, n, r);
    switch (r1 - r) {
        case 3: tokens<TYPE, 3>(out, out_stride, x, w, bias, n, r); break;
        case 2: tokens<TYPE, 2>(out, out_stride, x, w, bias, n, r); break;
        case 1: tokens<TYPE, 1>(out, out_stride, x, w, bias, n, r); break;
        default: break;
    }
}

void matmul_rows(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t n,
                 int64_t r0, int64_t r1) {
    switch (w.type) {
        case WEIGHTS_F32: matmul_rows_typed<WEIGHTS_F32>(out, out_stride, x, w, bias, n, r0, r1); break;
        case WEIGHTS_BF16: matmul_rows_typed<WEIGHTS_BF16>(out, out_stride, x, w, bias, n, r0, r1); break;
        case WEIGHTS_F16: matmul_rows_typed<WEIGHTS_F16>(out, out_stride, x, w, bias, n, r0, r1); break;
        case WEIGHTS_FP8: matmul_rows_typed<WEIGHTS_FP8>(out, out_stride, x, w, bias, n, r0, r1); break;
        case WEIGHTS_NVFP4: matmul_rows_typed<WEIGHTS_NVFP4>(out, out_stride, x, w, bias, n, r0, r1); break;
        case WEIGHTS_MXFP4: matmul_rows_typed<WEIGHTS_MXFP4>(out, out_stride, x, w, bias, n, r0, r1); break;
        case WEIGHTS_MXFP8: matmul_rows_typed<WEIGHTS_MXFP8>(out, out_stride, x, w, bias, n, r0, r1); break;
        case WEIGHTS_Q4_0:
        case WEIGHTS_Q4_1: matmul_rows_q4_avx512(out, out_stride, x, w, bias, n, r0, r1); break;
        default: matmul_rows_typed<WEIGHTS_INT8>(out, out_stride, x, w, bias, n, r0, r1); break;
    }
}

// dot's 16 lanes before the horizontal sum: four accumulators over 64-value steps, the
// 16-value steps into the first, a masked tail into the second, then (0 + 1) + (2 + 3).
inline __m512 dot_lanes(const float* a, const float* b, int64_t n) {
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    __m512 acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
        acc2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), acc2);
        acc3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), acc3);
    }
    for (; i + 16 <= n; i += 16) acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
    if (i < n) {
        const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
        acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), acc1);
    }
    return _mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3));
}

float dot(const float* a, const float* b, int64_t n) { return hsum(dot_lanes(a, b, n)); }

// dot_lanes for n = N (a multiple of 64) with `a` already in registers.
template <int N>
inline __m512 held_dot_lanes(const __m512 (&a)[N / 16], const float* b) {
    __m512 acc[4];
    #pragma GCC unroll 4
    for (int c = 0; c < 4; ++c) acc[c] = _mm512_fmadd_ps(a[c], _mm512_loadu_ps(b + 16 * c), _mm512_setzero_ps());
    #pragma GCC unroll 4
    for (int i = 4; i < N / 16; ++i) acc[i % 4] = _mm512_fmadd_ps(a[i], _mm512_loadu_ps(b + 16 * i), acc[i % 4]);
    return _mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), _mm512_add_ps(acc[2], acc[3]));
}

// out[r] = dot(a, b + r * b_stride, n) * scale for r < rows, 16 rows' horizontal sums
// together (hsum4x4 makes hsum's additions); head sizes 64 and 128 keep `a` in registers.
// One hsum and twice the loads per short head-sized dot product were most of its cost.
template <int N>
void dots_row(const float* a, const float* b, int64_t b_stride, int64_t rows, int64_t n, __m512 scale, float* out) {
    __m512 held[N > 0 ? N / 16 : 1];
    if constexpr (N > 0) {
        #pragma GCC unroll 8
        for (int c = 0; c < N / 16; ++c) held[c] = _mm512_loadu_ps(a + 16 * c);
    }
    for (int64_t r0 = 0; r0 < rows; r0 += 16) {
        __m512 lanes[4][4];
        #pragma GCC unroll 4
        for (int j = 0; j < 4; ++j)
            #pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                const int64_t r = r0 + 4 * j + k;  // hsum4x4 puts lanes[k][j]'s sum in lane 4j + k
                if (r >= rows) {
                    lanes[k][j] = _mm512_setzero_ps();
                } else if constexpr (N > 0) {
                    lanes[k][j] = held_dot_lanes<N>(held, b + r * b_stride);
                } else {
                    lanes[k][j] = dot_lanes(a, b + r * b_stride, n);
                }
            }
        const int64_t left = rows - r0;
        const __mmask16 mask = left >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << left) - 1);
        _mm512_mask_storeu_ps(out + r0, mask, _mm512_mul_ps(avx512::hsum4x4(lanes), scale));
    }
}

void dots(const float* a, int64_t a_stride, int64_t m, const float* b, int64_t b_stride, int64_t rows, int64_t n,
          float scale, float* out, int64_t out_stride) {
    const __m512 scale_v = _mm512_set1_ps(scale);
    for (int64_t i = 0; i < m; ++i) {
        const float* ai = a + i * a_stride;
        float* oi = out + i * out_stride;
        if (n == 64) {
            dots_row<64>(ai, b, b_stride, rows, n, scale_v, oi);
        } else if (n == 128) {
            dots_row<128>(ai, b, b_stride, rows, n, scale_v, oi);
        } else {
            dots_row<0>(ai, b, b_stride, rows, n, scale_v, oi);
        }
    }
}

// Multiply, then add: two roundings, as the portable loop (-ffp-contract=off keeps them apart). A
// head's outputs stay in registers, up to 64 floats at a time, while the rows stream past.
void axpys(float* y, int64_t y_stride, int64_t m, const float* s, int64_t s_stride, const float* x, int64_t x_stride,
           int64_t rows, int64_t n) {
    for (int64_t i = 0; i < m; ++i) {
        float* yi = y + i * y_stride;
        const float* si = s + i * s_stride;
        for (int64_t j = 0; j < n; j += 64) {
            __mmask16 k[4];
            __m512 acc[4];
            #pragma GCC unroll 4
            for (int c = 0; c < 4; ++c) {
                const int64_t left = n - j - 16 * c;
                k[c] = left >= 16 ? 0xFFFF : left <= 0 ? 0 : static_cast<__mmask16>((1u << left) - 1);
                acc[c] = _mm512_maskz_loadu_ps(k[c], yi + j + 16 * c);
            }
            for (int64_t r = 0; r < rows; ++r) {
                const __m512 sv = _mm512_set1_ps(si[r]);
                const float* xr = x + r * x_stride + j;
                #pragma GCC unroll 4
                for (int c = 0; c < 4; ++c) acc[c] = _mm512_add_ps(acc[c], _mm512_mul_ps(sv, _mm512_maskz_loadu_ps(k[c], xr + 16 * c)));
            }
            #pragma GCC unroll 4
            for (int c = 0; c < 4; ++c) _mm512_mask_storeu_ps(yi + j + 16 * c, k[c], acc[c]);
        }
    }
}

void halves_to_floats(const uint16_t* in, float* out, int64_t n) {
    for (int64_t i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(out + i, m, _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, in + i)));
    }
}

}  // namespace

KernelTable avx512_kernels() { return {"avx512", kMaxTokens, dot, dots, axpys, matmul_rows, exp_avx512, halves_to_floats, quantize_rows_avx512, nullptr, nullptr}; }

}  // namespace euclid::kernels
