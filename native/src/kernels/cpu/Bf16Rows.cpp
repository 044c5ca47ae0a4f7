#include "kernels/cpu/Bf16Rows.h"

#include <cstring>

namespace euclid::kernels {

namespace {

uint16_t to_bf16(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((u >> 16) | 0x40);  // quiet NaN
    return static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

}  // namespace

void round_rows_bf16(const float* x, int64_t cols, int64_t t0, int64_t t1, uint16_t* bf16) {
    const int64_t stride = bf16_stride(cols);
    for (int64_t t = t0; t < t1; ++t) {
        for (int64_t k = 0; k < stride; ++k) bf16[t * stride + k] = k < cols ? to_bf16(x[t * cols + k]) : 0;
    }
}

void widen_rows_bf16(const Bf16Rows& a, int64_t cols, int64_t t0, int64_t t1, float* out) {
    for (int64_t t = t0; t < t1; ++t) {
        for (int64_t k = 0; k < cols; ++k) {
            const uint32_t u = uint32_t(a.row(t)[k]) << 16;
            std::memcpy(&out[t * cols + k], &u, 4);
        }
    }
}

}  // namespace euclid::kernels
