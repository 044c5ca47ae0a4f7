// Q4_0/Q4_1 matrix products with AVX2 + FMA + F16C, called from Avx2.cpp's
// matmul_rows; the AVX-512 version (Q4Avx512.cpp) explains the arithmetic. A
// block is four 8-lane steps, k in order: low nibbles of bytes 0-7 and 8-15
// (weights 0-15), then their high nibbles (weights 16-31).
#include <immintrin.h>

#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels {
namespace {

// 16 ymm registers: 8 accumulators, 2 activation vectors, the widened weights.
constexpr int kRows = 4, kTokens = 2;

// The fixed lane tree of a sum (upper half onto lower, then pairs).
inline float lane_sum(__m256 v) {
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    return _mm_cvtss_f32(_mm_add_ss(q, _mm_shuffle_ps(q, q, 1)));
}

template <int TYPE, int R, int T>
void tile(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t r, int64_t t) {
    constexpr int64_t bb = TYPE == WEIGHTS_Q4_0 ? 18 : 20, qs_at = TYPE == WEIGHTS_Q4_0 ? 2 : 4;
    const int64_t cols = w.cols, blocks = cols / 32, row_bytes = blocks * bb;
    const uint8_t* rows[R];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) rows[i] = w.data + (r + i) * row_bytes;
    const float* xs = x + t * cols;
    const int64_t ahead_rows = row_bytes * R >= kPrefetchAheadBytes ? R : (kPrefetchAheadBytes + row_bytes - 1) / row_bytes;
    const int64_t ahead = t == 0 ? ahead_rows * row_bytes : 0;
    const __m256i low = _mm256_set1_epi32(0xF);
    __m256 acc[R][T];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i)
        #pragma GCC unroll 2
        for (int j = 0; j < T; ++j) acc[i][j] = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; ++b) {
        if (ahead != 0 && b % 3 == 0) {
            #pragma GCC unroll 4
            for (int i = 0; i < R; ++i) _mm_prefetch(reinterpret_cast<const char*>(rows[i] + ahead + b * bb), _MM_HINT_T1);
        }
        // Per row: d and m (Q4_0: m = -8 d, exact, see Q4Avx512.cpp) broadcast from here.
        float dm[R][2];
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i) {
            uint16_t h[2];
            __builtin_memcpy(h, rows[i] + b * bb, TYPE == WEIGHTS_Q4_0 ? 2 : 4);
            dm[i][0] = _cvtsh_ss(h[0]);
            dm[i][1] = TYPE == WEIGHTS_Q4_0 ? -8.0f * dm[i][0] : _cvtsh_ss(h[1]);
        }
        #pragma GCC unroll 4
        for (int step = 0; step < 4; ++step) {
            // step 0, 1: low nibbles of bytes 8 step .. + 8; step 2, 3: high nibbles of bytes 8 (step - 2) .. + 8.
            const int64_t byte = 8 * (step % 2);
            __m256 xv[T];
            #pragma GCC unroll 2
            for (int j = 0; j < T; ++j) xv[j] = _mm256_loadu_ps(xs + j * cols + 32 * b + 8 * step);
            #pragma GCC unroll 4
            for (int i = 0; i < R; ++i) {
                const __m256i bytes = _mm256_cvtepu8_epi32(
                        _mm_loadl_epi64(reinterpret_cast<const __m128i*>(rows[i] + b * bb + qs_at + byte)));
                const __m256i q = step < 2 ? _mm256_and_si256(bytes, low) : _mm256_srli_epi32(bytes, 4);
                const __m256 wv = _mm256_fmadd_ps(_mm256_cvtepi32_ps(q), _mm256_broadcast_ss(&dm[i][0]),
                                                  _mm256_broadcast_ss(&dm[i][1]));
                #pragma GCC unroll 2
                for (int j = 0; j < T; ++j) acc[i][j] = _mm256_fmadd_ps(wv, xv[j], acc[i][j]);
            }
        }
    }
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) {
        const float add = bias ? bias[r + i] : 0.0f;
        #pragma GCC unroll 2
        for (int j = 0; j < T; ++j) out[(t + j) * out_stride + r + i] = lane_sum(acc[i][j]) + add;
    }
}

template <int TYPE, int R>
void tokens(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t n, int64_t r) {
    int64_t t = 0;
    for (; t + kTokens <= n; t += kTokens) tile<TYPE, R, kTokens>(out, out_stride, x, w, bias, r, t);
    if (t < n) tile<TYPE, R, 1>(out, out_stride, x, w, bias, r, t);
}

template <int TYPE>
void rows_typed(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t n,
                int64_t r0, int64_t r1) {
    int64_t r = r0;
    for (; r + kRows <= r1; r += kRows) tokens<TYPE, kRows>(out, out_stride, x, w, bias, n, r);
    switch (r1 - r) {
        case 3: tokens<TYPE, 3>(out, out_stride, x, w, bias, n, r); break;
        case 2: tokens<TYPE, 2>(out, out_stride, x, w, bias, n, r); break;
        case 1: tokens<TYPE, 1>(out, out_stride, x, w, bias, n, r); break;
        default: break;
    }
}

}  // namespace

void matmul_rows_q4_avx2(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias,
                         int64_t n, int64_t r0, int64_t r1) {
    if (w.type == WEIGHTS_Q4_0) {
        rows_typed<WEIGHTS_Q4_0>(out, out_stride, x, w, bias, n, r0, r1);
    } else {
        rows_typed<WEIGHTS_Q4_1>(out, out_stride, x, w, bias, n, r0, r1);
    }
}

}  // namespace euclid::kernels
