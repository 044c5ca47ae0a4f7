// A weight matrix as the kernels read it: row-major elements of a WeightType
// (euclid.h), and for FP8/INT8 one FP32 scale per row (value = stored * scale);
// Q4_0/Q4_1 rows are 32-weight blocks that carry their own scales (quant/Q4.h).
#pragma once

#include <cstdint>

#include "euclid/euclid.h"
#include "quant/Q4.h"

namespace euclid {

struct Matrix {
    int32_t type = WEIGHTS_F32;
    const uint8_t* data = nullptr;
    const float* scales = nullptr;  // rows entries for FP8/INT8, else null
    int64_t rows = 0, cols = 0;

    bool valid() const { return data != nullptr; }
};

// Bytes per stored element: 4, 2 or 1 (not for the Q4 block types: see weight_row_bytes).
constexpr int64_t weight_element_bytes(int32_t type) {
    return type == WEIGHTS_F32 ? 4 : (type == WEIGHTS_BF16 || type == WEIGHTS_F16) ? 2 : 1;
}

// Bytes one row of `cols` weights takes (Q4 types: cols is a multiple of 32).
constexpr int64_t weight_row_bytes(int32_t type, int64_t cols) {
    return weight_type_is_q4(type) ? cols / kQ4BlockValues * q4_block_bytes(type) : cols * weight_element_bytes(type);
}

constexpr bool weight_type_has_scales(int32_t type) { return type == WEIGHTS_FP8 || type == WEIGHTS_INT8; }

constexpr bool weight_type_valid(int32_t type) {
    return (type >= WEIGHTS_F32 && type <= WEIGHTS_INT8) || weight_type_is_q4(type);
}

}  // namespace euclid
