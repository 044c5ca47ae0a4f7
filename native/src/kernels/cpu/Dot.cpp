// Dot-product kernels and their run-time dispatch.
#include "kernels/cpu/Kernels.h"

#include <immintrin.h>

#include <cstdlib>
#include <string>

namespace euclid::kernels {

namespace {

float dot_scalar(const float* a, const float* b, int64_t n) {
    // Four partial sums, like the SIMD paths, so all paths round similarly.
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; ++i) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

__attribute__((target("avx2,fma"))) float dot_avx2(const float* a, const float* b, int64_t n) {
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
    __m256 acc = _mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    float r = _mm_cvtss_f32(s);
    for (; i < n; ++i) r += a[i] * b[i];
    return r;
}

__attribute__((target("avx512f"))) float dot_avx512(const float* a, const float* b, int64_t n) {
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
    const __m512 acc = _mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3));
    // Spill and add in a fixed tree (gcc 12's _mm512_reduce_add_ps trips -Wuninitialized).
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, acc);
    float s8[8];
    for (int j = 0; j < 8; ++j) s8[j] = lanes[j] + lanes[j + 8];
    for (int j = 0; j < 4; ++j) s8[j] += s8[j + 4];
    return (s8[0] + s8[2]) + (s8[1] + s8[3]);
}

using DotFn = float (*)(const float*, const float*, int64_t);

struct Dispatch {
    DotFn dot;
    const char* name;
};

Dispatch choose() {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return {dot_avx512, "avx512"};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {dot_avx2, "avx2"};
    return {dot_scalar, "scalar"};
}

const Dispatch& dispatch() {
    static const Dispatch d = [] {
        // EUCLID_ISA=scalar|avx2 forces a narrower path (tests of the portable code).
        Dispatch best = choose();
        if (const char* force = std::getenv("EUCLID_ISA")) {
            if (std::string(force) == "scalar") best = {dot_scalar, "scalar"};
            else if (std::string(force) == "avx2" && __builtin_cpu_supports("avx2") &&
                     __builtin_cpu_supports("fma")) best = {dot_avx2, "avx2"};
        }
        return best;
    }();
    return d;
}

}  // namespace

float dot(const float* a, const float* b, int64_t n) { return dispatch().dot(a, b, n); }

const char* isa() { return dispatch().name; }

}  // namespace euclid::kernels
