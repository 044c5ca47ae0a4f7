// Portable int8-activation products: each block's integer dot product is exact, then
// scaled and added in FP32, blocks in order (the reference the SIMD paths are tested against).
#include <cstring>

#include "io/TensorFile.h"
#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels {
namespace {

// Sum over block b of weight integer * activation q, and the block's weight scale and minimum
// (w = d * integer + m): INT8 rows are one integer per byte (scale per row, applied later), Q4_0
// integers are q - 8, Q4_1 integers q with m.
struct BlockDot {
    int32_t dot;
    float d, m;
};

BlockDot block_dot(const Matrix& w, const uint8_t* row, const int8_t* x, int64_t b) {
    if (w.type == WEIGHTS_INT8) {
        int32_t dot = 0;
        const int64_t k1 = 32 * b + 32 < w.cols ? 32 * b + 32 : w.cols;
        for (int64_t k = 32 * b; k < k1; ++k) dot += static_cast<int8_t>(row[k]) * x[k];
        return {dot, 1.0f, 0.0f};
    }
    const uint8_t* block = row + b * q4_block_bytes(w.type);
    uint16_t h[2];
    std::memcpy(h, block, w.type == WEIGHTS_Q4_0 ? 2 : 4);
    const uint8_t* qs = block + (w.type == WEIGHTS_Q4_0 ? 2 : 4);
    const int32_t offset = w.type == WEIGHTS_Q4_0 ? 8 : 0;
    int32_t dot = 0;
    for (int j = 0; j < 16; ++j) {
        dot += (int32_t(qs[j] & 0xF) - offset) * x[32 * b + j] + (int32_t(qs[j] >> 4) - offset) * x[32 * b + j + 16];
    }
    return {dot, half_to_float(h[0]), w.type == WEIGHTS_Q4_1 ? half_to_float(h[1]) : 0.0f};
}

}  // namespace

void matmul_rows_int8_scalar(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t r0, int64_t r1) {
    const int64_t row_bytes = weight_row_bytes(w.type, w.cols), blocks = (w.cols + 31) / 32;
    for (int64_t r = r0; r < r1; ++r) {
        const uint8_t* row = w.data + r * row_bytes;
        const float mult = w.type == WEIGHTS_INT8 ? w.scales[r] : 1.0f;
        for (int64_t t = 0; t < n; ++t) {
            float acc = 0.0f;
            for (int64_t b = 0; b < blocks; ++b) {
                const BlockDot p = block_dot(w, row, a.row(t), b);
                const float dx = a.block_scale(t, b);
                acc += static_cast<float>(p.dot) * (p.d * dx) + p.m * (dx * static_cast<float>(a.block_sum(t, b)));
            }
            out[t * out_stride + r] = acc * mult + (bias ? bias[r] : 0.0f);
        }
    }
}

}  // namespace euclid::kernels
