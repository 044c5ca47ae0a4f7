// The epilogue of the AVX-512 row x token tiles (Avx512.cpp, Bf16Avx512.cpp): many accumulators'
// horizontal sums at once, in hsum's fixed order, then a per-row multiply-add, stored. Inline code for
// translation units compiled with AVX-512 flags only (see KernelTable.h); no STL.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace euclid::kernels {
namespace avx512 {

struct RowAffine {
    __m512 mult, add;  // rows r..r+3 in every 128-bit block (one block per token); zero past R
};

// hsum() of many accumulators at once. hsum adds the 256-bit halves, then the 128-bit
// halves, then lanes 0+2 and 1+3, then those two; each step below makes exactly those
// additions (IEEE addition commutes bit for bit) for two or four accumulators per
// instruction. The epilogue of a 4 x 6 tile did 24 one-at-a-time hsums: 7% of the
// tile's time on a 896-column matrix (perf, Zen 5).
//
// Block-wise [a0+a2, a1+a3, b0+b2, b1+b3]: the 256-bit step of hsum(a) and hsum(b).
inline __m512 fold256(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(1, 0, 1, 0)),
                         _mm512_shuffle_f32x4(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
}

// From fold256(a, b) and fold256(c, d): the 128-bit step, block k = 4-lane sum of the k-th of a, b, c, d.
inline __m512 fold128(__m512 ab, __m512 cd) {
    return _mm512_add_ps(_mm512_shuffle_f32x4(ab, cd, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm512_shuffle_f32x4(ab, cd, _MM_SHUFFLE(3, 1, 3, 1)));
}

// Full sums of a[i][j] (row i, token j): block j holds token j's sums of rows 0..3.
inline __m512 hsum4x4(const __m512 (&a)[4][4]) {
    __m512 q[4];
    #pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) q[i] = fold128(fold256(a[i][0], a[i][1]), fold256(a[i][2], a[i][3]));
    // Within each block: lanes 0+2 and 1+3 of rows (0, 1) and (2, 3), then those pairs.
    const __m512 p01 = _mm512_add_ps(_mm512_shuffle_ps(q[0], q[1], _MM_SHUFFLE(1, 0, 1, 0)),
                                     _mm512_shuffle_ps(q[0], q[1], _MM_SHUFFLE(3, 2, 3, 2)));
    const __m512 p23 = _mm512_add_ps(_mm512_shuffle_ps(q[2], q[3], _MM_SHUFFLE(1, 0, 1, 0)),
                                     _mm512_shuffle_ps(q[2], q[3], _MM_SHUFFLE(3, 2, 3, 2)));
    return _mm512_add_ps(_mm512_shuffle_ps(p01, p23, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm512_shuffle_ps(p01, p23, _MM_SHUFFLE(3, 1, 3, 1)));
}

// Token B's R outputs (block B of v) to dst.
template <int B>
inline void store_block(float* dst, __m512 v, __mmask8 rows) {
    _mm_mask_storeu_ps(dst, rows, _mm512_extractf32x4_ps(v, B));
}

// out[j * out_stride + i] = hsum(acc[i][j]) * mult[i] + add[i] (one rounding, as the
// scalar expression compiles to an FMA) for i < R, j < T; out is already at (t, r).
template <int R, int T>
inline void store_tile(float* out, int64_t out_stride, const __m512 (&acc)[R][T], const RowAffine& row) {
    const __mmask8 rows = static_cast<__mmask8>((1u << R) - 1);
    #pragma GCC unroll 2
    for (int j0 = 0; j0 < T; j0 += 4) {
        __m512 a[4][4];
        #pragma GCC unroll 4
        for (int i = 0; i < 4; ++i)
            #pragma GCC unroll 4
            for (int j = 0; j < 4; ++j) {
                a[i][j] = i < R && j0 + j < T ? acc[i < R ? i : 0][j0 + j < T ? j0 + j : 0] : _mm512_setzero_ps();
            }
        const __m512 v = _mm512_fmadd_ps(hsum4x4(a), row.mult, row.add);
        float* dst = out + j0 * out_stride;
        store_block<0>(dst, v, rows);
        if (j0 + 1 < T) store_block<1>(dst + out_stride, v, rows);
        if (j0 + 2 < T) store_block<2>(dst + 2 * out_stride, v, rows);
        if (j0 + 3 < T) store_block<3>(dst + 3 * out_stride, v, rows);
    }
}

}  // namespace avx512
}  // namespace euclid::kernels
