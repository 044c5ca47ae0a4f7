// A weight matrix as the kernels read it: row-major, one scale per row for the
// integer and 8-bit float formats (value = stored * scale).
#pragma once

#include <cstdint>

namespace euclid {

// Formats a matrix can be stored in (the `weights` precision of an engine).
enum WeightType : int32_t {
    WEIGHTS_F32 = 0,
    WEIGHTS_BF16 = 1,
    WEIGHTS_F16 = 2,
    WEIGHTS_FP8 = 3,   // E4M3 ("fn": no infinities, max 448), per-row FP32 scale
    WEIGHTS_INT8 = 4,  // symmetric, per-row FP32 scale
};

struct Matrix {
    int32_t type = WEIGHTS_F32;
    const uint8_t* data = nullptr;
    const float* scales = nullptr;  // rows entries for FP8/INT8, else null
    int64_t rows = 0, cols = 0;

    bool valid() const { return data != nullptr; }
};

// Bytes per stored element: 4, 2 or 1.
inline int64_t weight_element_bytes(int32_t type) {
    return type == WEIGHTS_F32 ? 4 : (type == WEIGHTS_BF16 || type == WEIGHTS_F16) ? 2 : 1;
}

inline bool weight_type_has_scales(int32_t type) { return type == WEIGHTS_FP8 || type == WEIGHTS_INT8; }

inline bool weight_type_valid(int32_t type) { return type >= WEIGHTS_F32 && type <= WEIGHTS_INT8; }

}  // namespace euclid
