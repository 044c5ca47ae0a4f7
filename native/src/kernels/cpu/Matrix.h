// A weight matrix as the kernels read it: row-major elements of a WeightType
// (euclid.h), and for FP8/INT8 one FP32 scale per row (value = stored * scale);
// the block-scaled formats keep their scales in their blocks (quant/Mx.h), and
// NVFP4 has one FP32 scale for the whole matrix; Q4_0/Q4_1 rows are 32-weight
// blocks that carry their own scales (quant/Q4.h).
#pragma once

#include <cstdint>

#include "euclid/euclid.h"
#include "quant/Mx.h"
#include "quant/Q4.h"

namespace euclid {

struct Matrix {
    int32_t type = WEIGHTS_F32;
    const uint8_t* data = nullptr;
    const float* scales = nullptr;  // weight_scale_count(type, rows) entries, or null
    int64_t rows = 0, cols = 0;
    // INT8, FP8, Q4_0, Q4_1, NVFP4, MXFP4: the same rows in the 16-row VNNI layout (kernels/cpu/Vnni16.h), which the
    // model adds for int8 activations on CPUs with AVX-512 VNNI; null otherwise.
    const uint8_t* vnni16 = nullptr;

    bool valid() const { return data != nullptr; }
};

// Bytes per stored element of the element-wise types: 4, 2 or 1 (block types: see weight_row_bytes).
constexpr int64_t weight_element_bytes(int32_t type) {
    return type == WEIGHTS_F32 ? 4 : (type == WEIGHTS_BF16 || type == WEIGHTS_F16) ? 2 : 1;
}

// Bytes of one row of `cols` weights (MX/NVFP4: whole blocks, the last zero-padded; Q4 types: cols
// is a multiple of 32).
constexpr int64_t weight_row_bytes(int32_t type, int64_t cols) {
    return weight_type_blocked(type) ? (cols + block_values(type) - 1) / block_values(type) * block_bytes(type)
         : weight_type_is_q4(type)   ? cols / kQ4BlockValues * q4_block_bytes(type)
                                     : cols * weight_element_bytes(type);
}

// One FP32 scale per row.
constexpr bool weight_type_has_scales(int32_t type) { return type == WEIGHTS_FP8 || type == WEIGHTS_INT8; }

// FP32 scales stored beside the data: one per row (FP8, INT8), one per matrix (NVFP4), else none.
constexpr int64_t weight_scale_count(int32_t type, int64_t rows) {
    return type == WEIGHTS_NVFP4 ? 1 : weight_type_has_scales(type) ? rows : 0;
}

constexpr bool weight_type_valid(int32_t type) {
    return (type >= WEIGHTS_F32 && type <= WEIGHTS_MXFP8) || weight_type_is_q4(type);
}

}  // namespace euclid
