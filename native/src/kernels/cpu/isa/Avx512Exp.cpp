// expf over arrays, 16 floats per step, bit for bit what glibc's expf returns on
// an FMA machine (glibc >= 2.27 __expf_fma, the algorithm of ARM's optimized-
// routines). Compiled with -mavx512f; called only after CPUID (see Dispatch.cpp).
//
// Why replicate rather than approximate: swiglu and softmax call exp once per
// element, and a scalar expf call was 10% of a 48-sequence decode step (swiglu runs
// on one thread, perf on Zen 5). A different approximation would change every
// model output; this one changes none. native/bench/exp_check compares it with the
// system's expf over all 2^32 inputs.
//
// The algorithm, in double: x * 32/ln2 = k + r, exp(x) = 2^(k/32) * 2^(r/32) with
// 2^(k/32) from a 32-entry table (its exponent adjusted by k) and 2^(r/32) a cubic
// in r; each a * b + c below is one FMA exactly where glibc's compiled code has one.
#include <immintrin.h>

#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels {
namespace {

// __exp2f_data (glibc sysdeps/ieee754/flt-32/e_exp2f_data.c, EXP2F_TABLE_BITS = 5):
// tab[i] = bits of 2^(i/32) minus i << 47.
alignas(64) const uint64_t kTable[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};
constexpr double kInvLn2N = 0x1.71547652b82fep+5;  // 32 / ln 2
constexpr double kShift = 0x1.8p+52;               // adding it rounds to an integer
constexpr double kC0 = 0x1.c6af84b912394p-20, kC1 = 0x1.ebfce50fac4f3p-13, kC2 = 0x1.62e42ff0c52d6p-6;

// The common path for 8 lanes.
inline __m256 exp_pd(__m256 x) {
    const __m512d xd = _mm512_cvtps_pd(x);
    const __m512d kd0 = _mm512_fmadd_pd(_mm512_set1_pd(kInvLn2N), xd, _mm512_set1_pd(kShift));
    const __m512i ki = _mm512_castpd_si512(kd0);
    const __m512d kd = _mm512_sub_pd(kd0, _mm512_set1_pd(kShift));
    const __m512d r = _mm512_fmsub_pd(_mm512_set1_pd(kInvLn2N), xd, kd);
    // tab[ki % 32]: two 16-entry permutes, chosen by bit 4 of the index.
    const __m512i lo = _mm512_permutex2var_epi64(_mm512_load_si512(kTable), ki, _mm512_load_si512(kTable + 8));
    const __m512i hi = _mm512_permutex2var_epi64(_mm512_load_si512(kTable + 16), ki, _mm512_load_si512(kTable + 24));
    const __mmask8 upper = _mm512_test_epi64_mask(ki, _mm512_set1_epi64(16));
    const __m512i t = _mm512_add_epi64(_mm512_mask_blend_epi64(upper, lo, hi), _mm512_slli_epi64(ki, 47));
    const __m512d s = _mm512_castsi512_pd(t);
    const __m512d z = _mm512_fmadd_pd(_mm512_set1_pd(kC0), r, _mm512_set1_pd(kC1));
    const __m512d r2 = _mm512_mul_pd(r, r);
    __m512d y = _mm512_fmadd_pd(r, _mm512_set1_pd(kC2), _mm512_set1_pd(1.0));
    y = _mm512_fmadd_pd(z, r2, y);
    return _mm512_cvtpd_ps(_mm512_mul_pd(y, s));
}

// 16 lanes, with glibc's special cases for |x| >= 88 (and NaN): overflow to +inf
// above log(2^128), 0 below log(2^-150), 2^-149 below log(2^-149) (its errno path
// returns 0x1.4p-75f squared), x + x for NaN and +inf, 0 for -inf.
inline __m512 exp16(__m512 x) {
    const __m256 lo = exp_pd(_mm512_castps512_ps256(x));
    const __m256 hi = exp_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(x), 1)));
    const __m512 y = _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(lo)), _mm256_castps_pd(hi), 1));
    const __m512i bits = _mm512_castps_si512(x);
    const __mmask16 big = _mm512_cmpgt_epu32_mask(_mm512_and_si512(_mm512_srli_epi32(bits, 20), _mm512_set1_epi32(0x7ff)),
                                                  _mm512_set1_epi32(0x42a));
    if (big == 0) return y;
    __m512 r = y;
    r = _mm512_mask_mov_ps(r, big & _mm512_cmplt_ps_mask(x, _mm512_set1_ps(-0x1.9d1d9ep6f)), _mm512_set1_ps(0x1p-149f));
    r = _mm512_mask_mov_ps(r, big & _mm512_cmplt_ps_mask(x, _mm512_set1_ps(-0x1.9fe368p6f)), _mm512_setzero_ps());
    r = _mm512_mask_mov_ps(r, big & _mm512_cmp_ps_mask(x, _mm512_set1_ps(0x1.62e42ep6f), _CMP_GT_OQ),
                           _mm512_set1_ps(__builtin_inff()));
    const __mmask16 nan_or_inf = _mm512_cmpge_epu32_mask(_mm512_and_si512(bits, _mm512_set1_epi32(0x7fffffff)),
                                                         _mm512_set1_epi32(0x7f800000));
    r = _mm512_mask_mov_ps(r, nan_or_inf, _mm512_add_ps(x, x));
    return _mm512_mask_mov_ps(r, _mm512_cmpeq_epi32_mask(bits, _mm512_set1_epi32(static_cast<int>(0xff800000u))),
                              _mm512_setzero_ps());
}

}  // namespace

void exp_avx512(float* out, const float* in, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(out + i, exp16(_mm512_loadu_ps(in + i)));
    if (i < n) {
        const __mmask16 m = static_cast<__mmask16>((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(out + i, m, exp16(_mm512_maskz_loadu_ps(m, in + i)));
    }
}

}  // namespace euclid::kernels
