// Activations rounded to BF16 for the BF16 matrix products (ACTIVATIONS_BF16 in euclid.h).
#pragma once

#include <cstdint>

namespace euclid::kernels {

// Values per rounded row: the matrix's columns rounded up to 32 (one 512-bit load of BF16 pairs);
// the padding holds zeros.
constexpr int64_t bf16_stride(int64_t cols) { return (cols + 31) / 32 * 32; }

// n rows of BF16 values, `stride` apart.
struct Bf16Rows {
    const uint16_t* x = nullptr;
    int64_t stride = 0;

    const uint16_t* row(int64_t t) const { return x + t * stride; }
};

// Rounds rows [t0, t1) of x (rows of cols floats) to BF16, to nearest even (NaN stays NaN), into
// bf16 (rows of bf16_stride(cols), zero-padded).
void round_rows_bf16(const float* x, int64_t cols, int64_t t0, int64_t t1, uint16_t* bf16);

// Rows [t0, t1) of a as floats (exact): what the other weight formats multiply.
void widen_rows_bf16(const Bf16Rows& a, int64_t cols, int64_t t0, int64_t t1, float* out);

}  // namespace euclid::kernels
