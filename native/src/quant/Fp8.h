// FP8 E4M3 ("fn" variant: bias 7, no infinities, 0x7F/0xFF are NaN, max 448).
#pragma once

#include <cmath>
#include <cstdint>

namespace euclid {

// The largest finite E4M3 value: per-row and per-head scales map absmax onto it.
constexpr float kFp8Max = 448.0f;
// The largest magnitude of symmetric INT8 weights.
constexpr float kInt8Max = 127.0f;

inline float fp8_to_float(uint8_t b) {
    const int exp = (b >> 3) & 0xF, mant = b & 0x7;
    float v = exp == 0 ? std::ldexp(static_cast<float>(mant), -9)  // subnormal: m * 2^-9
                       : std::ldexp(1.0f + mant / 8.0f, exp - 7);
    if ((b & 0x7F) == 0x7F) v = NAN;
    return (b & 0x80) ? -v : v;
}

// Round to nearest, ties to even; saturates to +-448 (never produces NaN).
inline uint8_t float_to_fp8(float v) {
    const uint8_t sign = std::signbit(v) ? 0x80 : 0x00;
    float a = std::fabs(v);
    if (!(a == a)) return sign;  // NaN input: encode zero rather than NaN
    if (a >= kFp8Max) return sign | 0x7E;
    int e;
    std::frexp(a, &e);                    // a = f * 2^e, f in [0.5, 1)
    int exp = e - 1;                      // a in [2^exp, 2^(exp+1))
    if (exp < -6) exp = -6;               // subnormal range shares the 2^-9 step
    const float step = std::ldexp(1.0f, exp - 3);
    int q = static_cast<int>(std::nearbyint(a / step));  // default rounding: ties to even
    if (q == 0) return sign;
    if (q < 8) return sign | static_cast<uint8_t>(q);    // subnormal
    if (q == 16) {                                        // rounding carried into the next binade
        q = 8;
        ++exp;
    }
    if (exp > 8 || (exp == 8 && q > 14)) return sign | 0x7E;
    return sign | static_cast<uint8_t>(((exp + 7) << 3) | (q - 8));
}

}  // namespace euclid
