// BF16 weights times BF16-rounded activations (ACTIVATIONS_BF16) with AVX-512 BF16: one vdpbf16ps
// multiplies 16 pairs of a row's weights by a token's activations (each product exact in FP32) and
// adds each pair's sum to one of 16 FP32 lanes, so a 32-column step costs one instruction per (row,
// token) where the FP32 kernels widen the weights and take two FMAs. Per output: one accumulator fed
// k = 0, 32, 64, ... in order (the tail masked), its lanes summed in hsum's fixed order (Avx512Tile.h),
// plus the bias.
// vdpbf16ps treats BF16 subnormals as zero and rounds to nearest even whatever MXCSR says.
#include <immintrin.h>

#include "kernels/cpu/isa/Avx512Tile.h"
#include "kernels/cpu/isa/Q4Tiles.h"

namespace euclid::kernels {
namespace {

struct Tile {
    // 16 accumulators, 4 activation vectors and the weight vector of 32 registers.
    static constexpr int kRows = 4, kTokens = 4;

    // Columns [k, k + 32) of R rows (m: those inside the row) for T tokens.
    template <int R, int T>
    static inline void step(__m512 (&acc)[R][T], const uint16_t* const (&rows)[R], const Bf16Rows& a, int64_t t, int64_t k,
                            int64_t ahead, __mmask32 m) {
        __m512bh x[T];
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) x[j] = (__m512bh)_mm512_loadu_si512(a.row(t + j) + k);  // zero-padded rows
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i) {
            if (ahead) _mm_prefetch(reinterpret_cast<const char*>(rows[i] + k + ahead), _MM_HINT_T1);
            const __m512bh wv = (__m512bh)(m == __mmask32(0xFFFFFFFFu) ? _mm512_loadu_si512(rows[i] + k)
                                                                        : _mm512_maskz_loadu_epi16(m, rows[i] + k));
            #pragma GCC unroll 4
            for (int j = 0; j < T; ++j) acc[i][j] = _mm512_dpbf16_ps(acc[i][j], wv, x[j]);
        }
    }

    template <int TYPE, int R, int T>
    static void run(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias, int64_t r,
                    int64_t t) {
        const int64_t cols = w.cols, row_bytes = 2 * cols;
        const uint16_t* rows[R];
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i) rows[i] = reinterpret_cast<const uint16_t*>(w.data + (r + i) * row_bytes);
        // Decode streams R short rows: the first token tile prefetches the next rows (q4::prefetch_ahead).
        const int64_t ahead = q4::prefetch_ahead(row_bytes, R, t) / 2;
        __m512 acc[R][T];
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i)
            #pragma GCC unroll 4
            for (int j = 0; j < T; ++j) acc[i][j] = _mm512_setzero_ps();
        int64_t k = 0;
        for (; k + 32 <= cols; k += 32) step<R, T>(acc, rows, a, t, k, ahead, __mmask32(0xFFFFFFFFu));
        if (k < cols) step<R, T>(acc, rows, a, t, k, 0, static_cast<__mmask32>((1u << (cols - k)) - 1));
        alignas(16) float add[4] = {0.0f, 0.0f, 0.0f, 0.0f};
        for (int i = 0; i < R && bias; ++i) add[i] = bias[r + i];
        const avx512::RowAffine affine{_mm512_set1_ps(1.0f), _mm512_broadcast_f32x4(_mm_load_ps(add))};
        avx512::store_tile<R, T>(out + t * out_stride + r, out_stride, acc, affine);
    }
};

}  // namespace

void matmul_rows_bf16_avx512(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t r0, int64_t r1) {
    q4::rows_typed<Tile, WEIGHTS_BF16>(out, out_stride, a, w, bias, n, r0, r1);
}

}  // namespace euclid::kernels
