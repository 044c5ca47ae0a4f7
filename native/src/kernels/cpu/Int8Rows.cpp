#include "kernels/cpu/Int8Rows.h"

#include <cmath>

namespace euclid::kernels {

namespace {

// Round to nearest, ties to even, for |v| <= 127.5: adding 1.5 * 2^23 leaves no fraction
// bits, so the addition rounds (in the default mode) and the subtraction is exact; without
// -ffast-math the compiler keeps both. A call to nearbyintf per value (what the baseline
// x86-64 build makes of std::nearbyint) took as long as a small product.
inline int32_t round_even(float v) {
    constexpr float kMagic = 12582912.0f;
    return static_cast<int32_t>((v + kMagic) - kMagic);
}

}  // namespace

void quantize_rows(const float* x, int64_t cols, int64_t t0, int64_t t1, const Int8Rows& out) {
    const int64_t blocks = out.stride / 32;
    for (int64_t t = t0; t < t1; ++t) {
        const float* xt = x + t * cols;
        int8_t* q = out.q + t * out.stride;
        for (int64_t b = 0; b < blocks; ++b) {
            const int64_t k0 = 32 * b, k1 = k0 + 32 < cols ? k0 + 32 : cols;
            float amax = 0.0f;
            for (int64_t k = k0; k < k1; ++k) amax = std::fmax(amax, std::fabs(xt[k]));
            const float d = amax / 127.0f, inv = amax > 0.0f ? 127.0f / amax : 0.0f;
            int32_t sum[2] = {0, 0};
            for (int64_t k = k0; k < k0 + 32; ++k) {
                const int32_t v = k < k1 ? round_even(xt[k] * inv) : 0;
                q[k] = static_cast<int8_t>(v);
                sum[(k - k0) / 16] += v;
            }
            out.scales[t * blocks + b] = d;
            out.set_sums(t, b, sum[0], sum[1]);
        }
    }
}

void dequantize_rows(const Int8Rows& a, int64_t cols, int64_t t0, int64_t t1, float* out) {
    for (int64_t t = t0; t < t1; ++t) {
        const int8_t* q = a.row(t);
        for (int64_t k = 0; k < cols; ++k) out[t * cols + k] = static_cast<float>(q[k]) * a.block_scale(t, k / 32);
    }
}

}  // namespace euclid::kernels
