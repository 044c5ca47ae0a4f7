// Activations quantised for the int8 matrix products (ACTIVATIONS_INT8 in euclid.h):
// each token's input row in blocks of 32 values, symmetric, one FP32 scale per block.
#pragma once

#include <cstdint>

namespace euclid::kernels {

// Values per quantised row: the matrix's columns rounded up to 64, the two blocks
// the kernels read with one 512-bit load; the padding holds zeros.
constexpr int64_t int8_stride(int64_t cols) { return (cols + 63) / 64 * 64; }

// n quantised rows. The scales and sums are laid out for the kernels (16 lanes per
// 64 values: lane l covers values 4l..4l+3 of its chunk, as vpdpbusd sums them) so
// that a kernel loads them instead of building them per tile.
struct Int8Rows {
    int8_t* q = nullptr;        // [n][stride]: round-to-nearest-even(x / d), |q| <= 127
    float* scales = nullptr;    // [n][stride / 64][16]: lanes 0-7 the chunk's first block's d, 8-15 the second's
    int32_t* sums = nullptr;    // [n][stride / 64][16]: lane 0 minus the first block's sum of q, lane 8 the second's, 0 elsewhere
    int64_t stride = 0;

    // The rows from token t on.
    Int8Rows from(int64_t t) const { return {q + t * stride, scales + t * (stride / 4), sums + t * (stride / 4), stride}; }
    const int8_t* row(int64_t t) const { return q + t * stride; }
    const float* chunk_scales(int64_t t, int64_t c) const { return scales + (t * (stride / 64) + c) * 16; }
    const int32_t* chunk_sums(int64_t t, int64_t c) const { return sums + (t * (stride / 64) + c) * 16; }
    // Block b's scale and sum of q of token t.
    float block_scale(int64_t t, int64_t b) const { return chunk_scales(t, b / 2)[8 * (b % 2)]; }
    int32_t block_sum(int64_t t, int64_t b) const { return -chunk_sums(t, b / 2)[8 * (b % 2)]; }
};

// Quantises rows [t0, t1) of x (rows of cols floats) into out (d = max |x| / 127 per
// block; an all-zero block gets d = 0 and q = 0).
void quantize_rows(const float* x, int64_t cols, int64_t t0, int64_t t1, const Int8Rows& out);

// Rows [t0, t1) of a as floats (q * d): what the other weight formats multiply.
void dequantize_rows(const Int8Rows& a, int64_t cols, int64_t t0, int64_t t1, float* out);

}  // namespace euclid::kernels
