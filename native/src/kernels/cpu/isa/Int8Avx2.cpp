// Int8-activation products with AVX2, one 32-value block per step: vpmaddubsw multiplies
// unsigned by signed bytes into saturating 16-bit pair sums, so both factors must stay small
// enough: INT8 goes as |w| * (x sign(w)), |pair| <= 2 * 128 * 127 (w may be -128, whose abs
// reads as 128 unsigned); Q4 nibbles as they are (2 * 15 * 127); vpmaddwd then adds pairs into
// eight 32-bit lanes. Q4_0's q - 8 goes as q times x, minus 8 * sum(x) (Int8Rows keeps each
// block's sum). Also the AVX-512 table's kernel for matrices without a VNNI copy.
#include <immintrin.h>

#include "kernels/cpu/isa/Avx2LaneSum.h"
#include "kernels/cpu/isa/Q4Tiles.h"

namespace euclid::kernels {
namespace {

inline const int8_t* block_x(const Int8Rows& a, int64_t t, int64_t b) { return a.row(t) + 32 * b; }

struct Tile {
    // 8 accumulators, 2 activation vectors and their offset terms, the weight block and temporaries.
    static constexpr int kRows = 4, kTokens = 2;

    template <int TYPE, int R, int T>
    static void run(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t r,
                    int64_t t);
};

template <int TYPE, int R, int T>
void Tile::run(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t r,
               int64_t t) {
    const int64_t cols = w.cols, row_bytes = weight_row_bytes(TYPE, cols), blocks = (cols + 31) / 32;
    const uint8_t* rows[R];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) rows[i] = w.data + (r + i) * row_bytes;
    const int64_t ahead = q4::prefetch_ahead(row_bytes, R, t);
    const __m256i ones = _mm256_set1_epi16(1), nib = _mm256_set1_epi8(0x0F);
    __m256 acc[R][T];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i)
        #pragma GCC unroll 2
        for (int j = 0; j < T; ++j) acc[i][j] = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; ++b) {
        __m256i xv[T];
        #pragma GCC unroll 2
        for (int j = 0; j < T; ++j) xv[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block_x(a, t + j, b)));
        if (ahead != 0 && b % 2 == 0) {
            #pragma GCC unroll 4
            for (int i = 0; i < R; ++i) {
                _mm_prefetch(reinterpret_cast<const char*>(rows[i] + ahead + weight_row_bytes(TYPE, 32 * b)), _MM_HINT_T1);
            }
        }
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i) {
            __m256i u;
            __m256 d = _mm256_set1_ps(1.0f), m = _mm256_setzero_ps();
            if constexpr (TYPE == WEIGHTS_INT8) {
                // The row's last block may be short: copy what is there (the activations' padding is 0).
                const int64_t left = cols - 32 * b;
                if (left >= 32) {
                    u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[i] + 32 * b));
                } else {
                    alignas(32) uint8_t tail[32] = {};
                    __builtin_memcpy(tail, rows[i] + 32 * b, left);
                    u = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail));
                }
            } else {
                constexpr int64_t bb = q4::kBlockBytes<TYPE>, qs_at = q4::kNibblesAt<TYPE>;
                const uint8_t* block = rows[i] + b * bb;
                const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + qs_at));
                const __m256i y = _mm256_inserti128_si256(_mm256_castsi128_si256(q), _mm_srli_epi16(q, 4), 1);
                u = _mm256_and_si256(y, nib);
                uint16_t h[2] = {0, 0};
                __builtin_memcpy(h, block, TYPE == WEIGHTS_Q4_0 ? 2 : 4);
                d = _mm256_cvtph_ps(_mm_set1_epi16(static_cast<short>(h[0])));
                if constexpr (TYPE == WEIGHTS_Q4_1) m = _mm256_cvtph_ps(_mm_set1_epi16(static_cast<short>(h[1])));
            }
            #pragma GCC unroll 2
            for (int j = 0; j < T; ++j) {
                __m256i pairs;
                if constexpr (TYPE == WEIGHTS_INT8) {
                    pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(u), _mm256_sign_epi8(xv[j], u));
                } else {
                    pairs = _mm256_maddubs_epi16(u, xv[j]);
                }
                __m256i dot = _mm256_madd_epi16(pairs, ones);
                // The offset terms go in lane 0 only: they belong once to the block's sum.
                const int32_t sum = a.block_sum(t + j, b);
                if constexpr (TYPE == WEIGHTS_Q4_0) dot = _mm256_add_epi32(dot, _mm256_setr_epi32(-8 * sum, 0, 0, 0, 0, 0, 0, 0));
                const float dx_scalar = a.block_scale(t + j, b);
                const __m256 dx = _mm256_set1_ps(dx_scalar);
                acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_mul_ps(d, dx), acc[i][j]);
                if constexpr (TYPE == WEIGHTS_Q4_1) {
                    const __m256 dxs = _mm256_setr_ps(static_cast<float>(-sum) * dx_scalar, 0, 0, 0, 0, 0, 0, 0);
                    acc[i][j] = _mm256_fnmadd_ps(m, dxs, acc[i][j]);
                }
            }
        }
    }
    q4::store_int8_tile<TYPE, R, T>(out, out_stride, acc, lane_sum, w, bias, r, t);
}

}  // namespace

void matmul_rows_int8_avx2(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                           int64_t n, int64_t r0, int64_t r1) {
    q4::int8_rows<Tile>(out, out_stride, a, w, bias, n, r0, r1);
}

}  // namespace euclid::kernels
