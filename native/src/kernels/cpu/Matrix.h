// A weight matrix as the kernels read it: row-major elements of a WeightType
// (euclid.h), and for FP8/INT8 one FP32 scale per row (value = stored * scale).
#pragma once

#include <cstdint>

#include "euclid/euclid.h"

namespace euclid {

struct Matrix {
    int32_t type = WEIGHTS_F32;
    const uint8_t* data = nullptr;
    const float* scales = nullptr;  // rows entries for FP8/INT8, else null
    int64_t rows = 0, cols = 0;

    bool valid() const { return data != nullptr; }
};

// Bytes per stored element: 4, 2 or 1.
constexpr int64_t weight_element_bytes(int32_t type) {
    return type == WEIGHTS_F32 ? 4 : (type == WEIGHTS_BF16 || type == WEIGHTS_F16) ? 2 : 1;
}

constexpr bool weight_type_has_scales(int32_t type) { return type == WEIGHTS_FP8 || type == WEIGHTS_INT8; }

constexpr bool weight_type_valid(int32_t type) { return type >= WEIGHTS_F32 && type <= WEIGHTS_INT8; }

}  // namespace euclid
