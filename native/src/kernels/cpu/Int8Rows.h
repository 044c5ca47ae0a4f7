// Activations quantised for the int8 matrix products (ACTIVATIONS_INT8 in euclid.h):
// each token's input row in blocks of 32 values, symmetric, one FP32 scale per block.
#pragma once

#include <cstdint>

#include "kernels/cpu/Vnni16.h"

namespace euclid::kernels {

// Values per quantised row: the matrix's columns rounded up to 64, the two blocks
// the kernels read with one 512-bit load; the padding holds zeros.
constexpr int64_t int8_stride(int64_t cols) { return (cols + 63) / 64 * 64; }

// n quantised rows, with each 32-value block's scale and the sums of q of its two 16-value
// halves (the kernels' offset terms; NVFP4's weight blocks are 16 values), and each block's sum
// times -kVnniInt8Bias: INT8 weights' offset term, kept in memory so the AVX-512 VNNI tile broadcasts
// it with a load instead of making it from the halves per token and block (a tile without the term
// at all, wrong but an upper bound, ran about 12% faster; the load gained about 3%).
struct Int8Rows {
    int8_t* q = nullptr;      // [n][stride]: round-to-nearest-even(x / d), |q| <= 127
    float* scales = nullptr;  // [n][stride / 32]: d
    int32_t* sums = nullptr;  // [n][sums_per_row(stride)]: each half block's sum of q, then int8_offset's
    int64_t stride = 0;

    static constexpr int64_t sums_per_row(int64_t stride) { return stride / 16 + stride / 32; }

    // The rows from token t on.
    Int8Rows from(int64_t t) const {
        return {q + t * stride, scales + t * (stride / 32), sums + t * sums_per_row(stride), stride};
    }
    const int8_t* row(int64_t t) const { return q + t * stride; }
    // Block b's scale and sum of q of token t.
    float block_scale(int64_t t, int64_t b) const { return scales[t * (stride / 32) + b]; }
    int32_t block_sum(int64_t t, int64_t b) const { return half_sum(t, 2 * b) + half_sum(t, 2 * b + 1); }
    // Half block h's (values 16h..16h+15) sum of q of token t.
    int32_t half_sum(int64_t t, int64_t h) const { return sums[t * sums_per_row(stride) + h]; }
    // -kVnniInt8Bias * block_sum(t, b).
    int32_t int8_offset(int64_t t, int64_t b) const { return sums[t * sums_per_row(stride) + stride / 16 + b]; }

    void set_sums(int64_t t, int64_t b, int32_t first_half, int32_t second_half) const {
        int32_t* row = sums + t * sums_per_row(stride);
        row[2 * b] = first_half;
        row[2 * b + 1] = second_half;
        row[stride / 16 + b] = -kVnniInt8Bias * (first_half + second_half);
    }
};

// Quantises rows [t0, t1) of x (rows of cols floats) into out (d = max |x| / 127 per
// block; an all-zero block gets d = 0 and q = 0).
void quantize_rows(const float* x, int64_t cols, int64_t t0, int64_t t1, const Int8Rows& out);

// Rows [t0, t1) of a as floats (q * d): what the other weight formats multiply.
void dequantize_rows(const Int8Rows& a, int64_t cols, int64_t t0, int64_t t1, float* out);

}  // namespace euclid::kernels
