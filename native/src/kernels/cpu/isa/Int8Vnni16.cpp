// The int8-activation product of INT8 weights in the 16-row VNNI layout (kernels/cpu/Vnni16.h)
// with AVX-512 VNNI. A tile is one group of 16 rows (one zmm lane each) by up to 8 tokens: per
// 32-column block, each token's accumulator starts at -128 * (the block's sum of x), the offset the
// unsigned weights carry, takes 8 vpdpbusd (4 columns each, x broadcast), and is then converted,
// multiplied by the block's activation scale and added to the token's FP32 sum, blocks in order.
// Row scale and bias come last: out = sum * scale + bias, one rounding.
#include <immintrin.h>

#include "kernels/cpu/Vnni16.h"
#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels {
namespace {

template <int T>
void group_tile(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t g,
                int64_t t) {
    const int64_t blocks = vnni16_blocks(w.cols);
    const uint8_t* base = w.vnni16 + g * kVnniRows * blocks * 32;
    __m512 sum[T];
    #pragma GCC unroll 8
    for (int j = 0; j < T; ++j) sum[j] = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; ++b) {
        __m512i dot[T];
        #pragma GCC unroll 8
        for (int j = 0; j < T; ++j) dot[j] = _mm512_set1_epi32(-128 * a.block_sum(t + j, b));
        const uint8_t* wb = base + b * 512;
        _mm_prefetch(reinterpret_cast<const char*>(wb + 4096), _MM_HINT_T0);
        #pragma GCC unroll 8
        for (int q = 0; q < 8; ++q) {
            const __m512i wv = _mm512_load_si512(wb + 64 * q);
            #pragma GCC unroll 8
            for (int j = 0; j < T; ++j) {
                int32_t x4;
                __builtin_memcpy(&x4, a.row(t + j) + 32 * b + 4 * q, 4);
                dot[j] = _mm512_dpbusd_epi32(dot[j], wv, _mm512_set1_epi32(x4));
            }
        }
        #pragma GCC unroll 8
        for (int j = 0; j < T; ++j) {
            sum[j] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[j]), _mm512_set1_ps(a.block_scale(t + j, b)), sum[j]);
        }
    }
    const int64_t r0 = g * kVnniRows, left = w.rows - r0;
    const __mmask16 rows = left >= kVnniRows ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << left) - 1);
    const __m512 scale = _mm512_maskz_loadu_ps(rows, w.scales + r0);
    const __m512 add = bias ? _mm512_maskz_loadu_ps(rows, bias + r0) : _mm512_setzero_ps();
    #pragma GCC unroll 8
    for (int j = 0; j < T; ++j) _mm512_mask_storeu_ps(out + (t + j) * out_stride + r0, rows, _mm512_fmadd_ps(sum[j], scale, add));
}

constexpr int kTokens = 8;

template <int T = kTokens - 1>
inline void token_rest(int64_t n, float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                       int64_t g, int64_t t) {
    if constexpr (T > 0) {
        if (n == T) {
            group_tile<T>(out, out_stride, a, w, bias, g, t);
        } else {
            token_rest<T - 1>(n, out, out_stride, a, w, bias, g, t);
        }
    }
}

}  // namespace

void matmul_groups_int8_vnni(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t g0, int64_t g1) {
    // Group outside, tokens inside: a group's rows (16 x cols bytes) stay in cache for all tokens.
    for (int64_t g = g0; g < g1; ++g) {
        int64_t t = 0;
        for (; t + kTokens <= n; t += kTokens) group_tile<kTokens>(out, out_stride, a, w, bias, g, t);
        token_rest(n - t, out, out_stride, a, w, bias, g, t);
    }
}

}  // namespace euclid::kernels
