// Q4_0/Q4_1 matrix products with AVX-512 (F, BW, VL + F16C/FMA), called from
// Avx512.cpp's matmul_rows. Weights are widened to FP32 in registers and fed
// to one FP32 accumulator per output, k in order (KernelTable.h's contract):
// per block, weights 0-15 (low nibbles) then 16-31 (high nibbles).
#include <immintrin.h>

#include "kernels/cpu/isa/Q4Tiles.h"

namespace euclid::kernels {
namespace {

// The 16 weights a block's nibbles stand for, q = 0..15: Q4_0 d * (q - 8), Q4_1 fma(q, d, m).
// d * q is exact in FP32 (11 + 4 bits), so both equal the portable kernel's values bit for bit.
// A lane permute then turns nibbles into weights (one uop, and it reads only the index's low 4
// bits: the low nibble needs no mask), instead of converting each 4-bit value to FP32 and
// scaling it (two uops per 16 weights more, which left the 1b decode step compute-bound).
template <int TYPE>
inline __m512 block_table(const uint8_t* block) {
    if constexpr (TYPE == WEIGHTS_Q4_0) {
        uint16_t h;  // blocks are 2-byte aligned at best
        __builtin_memcpy(&h, block, 2);
        const __m512 centred = _mm512_setr_ps(-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7);
        return _mm512_mul_ps(centred, _mm512_cvtph_ps(_mm256_set1_epi16(static_cast<short>(h))));
    } else {
        uint32_t dm;
        __builtin_memcpy(&dm, block, 4);
        const __m512 both = _mm512_cvtph_ps(_mm256_set1_epi32(static_cast<int>(dm)));  // d, m, d, m, ...
        const __m512 q = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        return _mm512_fmadd_ps(q, _mm512_permute_ps(both, 0x00), _mm512_permute_ps(both, 0x55));
    }
}

// R rows x T tokens of outputs, one accumulator each (see the contract in KernelTable.h).
struct Tile {
    // Each row's block becomes two weight vectors that feed T tokens: 16 accumulators, 8
    // activation vectors and the table leave the 32 zmm registers unspilled (4 x 6 would need 36).
    static constexpr int kRows = 4, kTokens = 4;

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
    __m512 acc[R][T];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i)
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) acc[i][j] = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; ++b) {
        __m512 xlo[T], xhi[T];
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) {
            xlo[j] = _mm512_loadu_ps(xs + j * cols + 32 * b);
            xhi[j] = _mm512_loadu_ps(xs + j * cols + 32 * b + 16);
        }
        if (ahead != 0 && b % 3 == 0) {
            #pragma GCC unroll 4
            for (int i = 0; i < R; ++i) _mm_prefetch(reinterpret_cast<const char*>(rows[i] + ahead + b * bb), _MM_HINT_T1);
        }
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i) {
            const uint8_t* block = rows[i] + b * bb;
            const __m512 table = block_table<TYPE>(block);
            const __m512i q = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + qs_at)));
            const __m512 wlo = _mm512_permutexvar_ps(q, table);
            const __m512 whi = _mm512_permutexvar_ps(_mm512_srli_epi32(q, 4), table);
            #pragma GCC unroll 4
            for (int j = 0; j < T; ++j) {
                acc[i][j] = _mm512_fmadd_ps(wlo, xlo[j], acc[i][j]);
                acc[i][j] = _mm512_fmadd_ps(whi, xhi[j], acc[i][j]);
            }
        }
    }
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) {
        const float add = bias ? bias[r + i] : 0.0f;
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) out[(t + j) * out_stride + r + i] = _mm512_reduce_add_ps(acc[i][j]) + add;
    }
}

}  // namespace

void matmul_rows_q4_avx512(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias,
                           int64_t n, int64_t r0, int64_t r1) {
    q4::matmul_rows<Tile>(out, out_stride, x, w, bias, n, r0, r1);
}

}  // namespace euclid::kernels
