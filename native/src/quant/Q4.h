// The 4-bit weight formats Euclid runs natively: GGUF's (ggml's) Q4_0 and Q4_1
// blocks, byte for byte, so a GGUF file's blocks are copied, not converted.
//
// A row of `cols` weights is cols / 32 blocks back to back (no padding, no
// per-row scale). Within a block, byte j holds weight j in its low nibble and
// weight j + 16 in its high nibble. Included by the ISA kernels: no STL here.
#pragma once

#include <cstdint>

#include "euclid/euclid.h"

namespace euclid {

constexpr int32_t kQ4BlockValues = 32;

// w = d * (q - 8), q in [0, 15].
struct BlockQ4_0 {
    uint16_t d;  // IEEE half
    uint8_t qs[kQ4BlockValues / 2];
};
static_assert(sizeof(BlockQ4_0) == 18, "ggml stores Q4_0 blocks of 18 bytes back to back");

// w = d * q + m, q in [0, 15].
struct BlockQ4_1 {
    uint16_t d, m;  // IEEE halves
    uint8_t qs[kQ4BlockValues / 2];
};
static_assert(sizeof(BlockQ4_1) == 20, "ggml stores Q4_1 blocks of 20 bytes back to back");

constexpr bool weight_type_is_q4(int32_t type) { return type == WEIGHTS_Q4_0 || type == WEIGHTS_Q4_1; }

constexpr int64_t q4_block_bytes(int32_t type) {
    return type == WEIGHTS_Q4_0 ? int64_t(sizeof(BlockQ4_0)) : int64_t(sizeof(BlockQ4_1));
}

}  // namespace euclid

namespace euclid {

// One row of `cols` FP32 weights (a multiple of 32) as Q4_0 or Q4_1 blocks, with
// ggml's reference rounding: Q4_0 maps the block's largest-magnitude weight onto
// q = 0 (d = that weight / -8); Q4_1 spans [min, max] with d = (max - min) / 15, m = min.
void quantize_row_q4(const float* src, int64_t cols, int32_t type, uint8_t* dst);

// Weight k of a row of blocks (the portable kernel reads weights one at a time).
float q4_weight_at(const uint8_t* row, int32_t type, int64_t k);

// One row of blocks back to FP32, exactly as the kernels see the weights.
void dequantize_row_q4(const uint8_t* row, int32_t type, int64_t cols, float* out);

}  // namespace euclid
