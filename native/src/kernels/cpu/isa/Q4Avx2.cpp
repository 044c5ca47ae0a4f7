// Q4_0/Q4_1 matrix products with AVX2 + FMA + F16C, called from Avx2.cpp's
// matmul_rows; the AVX-512 version (Q4Avx512.cpp) explains the arithmetic. A
// block is four 8-lane steps, k in order: low nibbles of bytes 0-7 and 8-15
// (weights 0-15), then their high nibbles (weights 16-31).
#include <immintrin.h>

#include "kernels/cpu/isa/Avx2LaneSum.h"
#include "kernels/cpu/isa/Q4Tiles.h"

namespace euclid::kernels {
namespace {

struct Tile {
    // 16 ymm registers: 8 accumulators, 2 activation vectors, the widened weights.
    static constexpr int kRows = 4, kTokens = 2;

    template <int TYPE, int R, int T>
    static void run(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t r,
                    int64_t t);
};

template <int TYPE, int R, int T>
void Tile::run(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t r, int64_t t) {
    constexpr int64_t bb = q4::kBlockBytes<TYPE>, qs_at = q4::kNibblesAt<TYPE>;
    const q4::TileInputs<TYPE, R> in(w, x, r, t);
    const uint8_t* const* rows = in.rows;
    const float* xs = in.xs;
    const int64_t cols = in.cols, blocks = in.blocks, ahead = in.ahead;
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

}  // namespace

void matmul_rows_q4_avx2(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias,
                         int64_t n, int64_t r0, int64_t r1) {
    q4::matmul_rows<Tile>(out, out_stride, x, w, bias, n, r0, r1);
}

}  // namespace euclid::kernels
