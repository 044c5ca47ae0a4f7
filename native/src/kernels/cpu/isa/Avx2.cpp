// AVX2 + FMA + F16C kernels. Compiled with those flags; only called when the
// CPU reports them (see Dispatch.cpp). Same structure as Avx512.cpp, 8 lanes.
#include <immintrin.h>

#include "kernels/cpu/isa/KernelTable.h"
#include "kernels/cpu/isa/MxAvx2.h"

namespace euclid::kernels {
namespace {

inline float hsum(__m256 v) {
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
    return _mm_cvtss_f32(q);
}

using mx256::fp8_to_ps;

// 8 weights of one row from element k (all in bounds), as FP32 (unscaled).
template <int TYPE>
inline __m256 load_w(const uint8_t* row, int64_t k) {
    if constexpr (weight_type_blocked(TYPE)) {
        return mx256::load_w<TYPE>(row, k);
    } else if constexpr (TYPE == WEIGHTS_F32) {
        return _mm256_loadu_ps(reinterpret_cast<const float*>(row) + k);
    } else if constexpr (TYPE == WEIGHTS_BF16) {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 2 * k));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    } else if constexpr (TYPE == WEIGHTS_F16) {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(row + 2 * k)));
    } else if constexpr (TYPE == WEIGHTS_FP8) {
        return fp8_to_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(row + k)));
    } else {
        return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(row + k))));
    }
}

// The same for a tail of `left` < 8 elements, copied into a zero-padded buffer so
// nothing past the row is read (blocked formats store whole, zero-padded blocks).
template <int TYPE>
inline __m256 load_w_tail(const uint8_t* row, int64_t k, int64_t left) {
    if constexpr (weight_type_blocked(TYPE)) {
        return load_w<TYPE>(row, k);
    } else {
        constexpr int64_t eb = weight_element_bytes(TYPE);
        alignas(32) uint8_t buf[32] = {0};
        for (int64_t i = 0; i < left * eb; ++i) buf[i] = row[k * eb + i];
        return load_w<TYPE>(buf, 0);
    }
}

inline __m256 load_x_tail(const float* x, int64_t left) {
    alignas(32) float buf[8] = {0};
    for (int64_t i = 0; i < left; ++i) buf[i] = x[i];
    return _mm256_load_ps(buf);
}

template <int TYPE>
inline float row_multiplier(const Matrix& w, int64_t r) {
    if constexpr (TYPE == WEIGHTS_FP8) return w.scales[r] * 256.0f;
    if constexpr (TYPE == WEIGHTS_INT8) return w.scales[r];
    if constexpr (weight_type_blocked(TYPE)) return mx256::row_multiplier<TYPE>(w.scales);
    return 1.0f;
}

template <int TYPE, int R, int T>
void tile(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t r, int64_t t) {
    const int64_t cols = w.cols, row_bytes = weight_row_bytes(TYPE, cols);
    const uint8_t* rows[R];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) rows[i] = w.data + (r + i) * row_bytes;
    const float* xs = x + t * cols;
    // Whole rows ahead, at least kPrefetchAheadBytes; only the first token tile of
    // a row tile prefetches (the later ones re-read these rows from cache).
    const int64_t ahead_rows = row_bytes * R >= kPrefetchAheadBytes ? R : (kPrefetchAheadBytes + row_bytes - 1) / row_bytes;
    const int64_t ahead = t == 0 ? ahead_rows * row_bytes : 0;
    __m256 acc[R][T];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i)
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) acc[i][j] = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 8 <= cols; k += 8) {
        __m256 xv[T];
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) xv[j] = _mm256_loadu_ps(xs + j * cols + k);
        if (ahead != 0 && (k & (prefetch_stride(TYPE, 8) - 1)) == 0) {
            #pragma GCC unroll 4
            for (int i = 0; i < R; ++i) {
                _mm_prefetch(reinterpret_cast<const char*>(rows[i] + ahead + weight_row_bytes(TYPE, k)), _MM_HINT_T1);
            }
        }
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i) {
            const __m256 wv = load_w<TYPE>(rows[i], k);
            #pragma GCC unroll 4
            for (int j = 0; j < T; ++j) acc[i][j] = _mm256_fmadd_ps(wv, xv[j], acc[i][j]);
        }
    }
    if (k < cols) {
        __m256 xv[T];
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) xv[j] = load_x_tail(xs + j * cols + k, cols - k);
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i) {
            const __m256 wv = load_w_tail<TYPE>(rows[i], k, cols - k);
            #pragma GCC unroll 4
            for (int j = 0; j < T; ++j) acc[i][j] = _mm256_fmadd_ps(wv, xv[j], acc[i][j]);
        }
    }
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) {
        const float mult = row_multiplier<TYPE>(w, r + i), b = bias ? bias[r + i] : 0.0f;
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) out[(t + j) * out_stride + r + i] = hsum(acc[i][j]) * mult + b;
    }
}

// 16 ymm registers: 4 rows x 2 tokens of accumulators leave room for loads.
// (Accumulator loops are unrolled explicitly, as in Avx512.cpp.)
constexpr int kMaxRows = 4, kMaxTokens = 2;

template <int TYPE, int R>
void tokens(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t n, int64_t r) {
    int64_t t = 0;
    for (; t + kMaxTokens <= n; t += kMaxTokens) tile<TYPE, R, kMaxTokens>(out, out_stride, x, w, bias, r, t);
    if (t < n) tile<TYPE, R, 1>(out, out_stride, x, w, bias, r, t);
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
        case WEIGHTS_Q4_1: matmul_rows_q4_avx2(out, out_stride, x, w, bias, n, r0, r1); break;
        default: matmul_rows_typed<WEIGHTS_INT8>(out, out_stride, x, w, bias, n, r0, r1); break;
    }
}

float dot(const float* a, const float* b, int64_t n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
        acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), acc2);
        acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), acc3);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    float r = hsum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    for (; i < n; ++i) r += a[i] * b[i];
    return r;
}

void dots(const float* a, int64_t a_stride, int64_t m, const float* b, int64_t b_stride, int64_t rows, int64_t n,
          float scale, float* out, int64_t out_stride) {
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t r = 0; r < rows; ++r) out[i * out_stride + r] = dot(a + i * a_stride, b + r * b_stride, n) * scale;
    }
}

// Multiply, then add: two roundings, as the portable loop (-ffp-contract=off keeps them apart). A
// head's 8-float slices stay in registers while the rows stream past.
void axpys(float* y, int64_t y_stride, int64_t m, const float* s, int64_t s_stride, const float* x, int64_t x_stride,
           int64_t rows, int64_t n) {
    for (int64_t i = 0; i < m; ++i) {
        float* yi = y + i * y_stride;
        const float* si = s + i * s_stride;
        int64_t j = 0;
        for (; j + 8 <= n; j += 8) {
            __m256 acc = _mm256_loadu_ps(yi + j);
            for (int64_t r = 0; r < rows; ++r) {
                acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_set1_ps(si[r]), _mm256_loadu_ps(x + r * x_stride + j)));
            }
            _mm256_storeu_ps(yi + j, acc);
        }
        for (; j < n; ++j) {
            for (int64_t r = 0; r < rows; ++r) yi[j] += si[r] * x[r * x_stride + j];
        }
    }
}

// F16C converts exactly; the tail goes through a zero-padded copy.
void halves_to_floats(const uint16_t* in, float* out, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(out + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))));
    }
    if (i < n) {
        uint16_t h[8] = {};
        float f[8];
        for (int64_t j = 0; j < n - i; ++j) h[j] = in[i + j];
        _mm256_storeu_ps(f, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h))));
        for (int64_t j = 0; j < n - i; ++j) out[i + j] = f[j];
    }
}

}  // namespace

KernelTable avx2_kernels() { return {"avx2", kMaxTokens, dot, dots, axpys, matmul_rows, exp_libm, halves_to_floats, quantize_rows, nullptr, nullptr}; }

}  // namespace euclid::kernels
