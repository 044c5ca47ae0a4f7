// Portable int8-activation products: each block's integer dot product is exact, then
// scaled and added in FP32, blocks in order (the reference the SIMD paths are tested against).
#include <cstring>

#include "io/TensorFile.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "quant/Mx.h"

namespace euclid::kernels {
namespace {

// Sum over values [k0, k0 + count) of weight integer * activation q, and the scale and minimum of
// those weights (w = d * integer + m): INT8 rows are one integer per byte (scale per row, applied
// later), Q4_0 integers are q - 8, Q4_1 integers q with m, FP4 (NVFP4, MXFP4) integers twice the
// E2M1 value with half the block scale (NVFP4's tensor scale applied later).
struct BlockDot {
    int32_t dot;
    float d, m;
};

BlockDot block_dot(const Matrix& w, const uint8_t* row, const int8_t* x, int64_t k0, int64_t count) {
    int32_t dot = 0;
    if (w.type == WEIGHTS_INT8) {
        const int64_t k1 = k0 + count < w.cols ? k0 + count : w.cols;
        for (int64_t k = k0; k < k1; ++k) dot += static_cast<int8_t>(row[k]) * x[k];
        return {dot, 1.0f, 0.0f};
    }
    if (w.type == WEIGHTS_NVFP4 || w.type == WEIGHTS_MXFP4) {
        const uint8_t* block = row + k0 / block_values(w.type) * block_bytes(w.type);
        for (int64_t k = k0; k < k0 + count; ++k) {
            const int64_t i = k % block_values(w.type);
            const int code = (block[1 + i / 2] >> (4 * (i & 1))) & 0xF;
            dot += static_cast<int32_t>(2.0f * kMxTables.e2m1[code]) * x[k];
        }
        const float d = w.type == WEIGHTS_NVFP4 ? kMxTables.e4m3[block[0]] : kMxTables.e8m0[block[0]];
        return {dot, 0.5f * d, 0.0f};
    }
    const uint8_t* block = row + k0 / 32 * q4_block_bytes(w.type);
    uint16_t h[2];
    std::memcpy(h, block, w.type == WEIGHTS_Q4_0 ? 2 : 4);
    const uint8_t* qs = block + (w.type == WEIGHTS_Q4_0 ? 2 : 4);
    const int32_t offset = w.type == WEIGHTS_Q4_0 ? 8 : 0;
    for (int j = 0; j < 16; ++j) dot += (int32_t(qs[j] & 0xF) - offset) * x[k0 + j] + (int32_t(qs[j] >> 4) - offset) * x[k0 + j + 16];
    return {dot, half_to_float(h[0]), w.type == WEIGHTS_Q4_1 ? half_to_float(h[1]) : 0.0f};
}

}  // namespace

void matmul_rows_int8_scalar(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t r0, int64_t r1) {
    const int64_t row_bytes = weight_row_bytes(w.type, w.cols), blocks = (w.cols + 31) / 32;
    // NVFP4's 32-value blocks are two of its own, each with its scale; an odd count leaves the last alone.
    const int64_t part = w.type == WEIGHTS_NVFP4 ? kNvfp4BlockValues : 32;
    const int64_t parts = w.type == WEIGHTS_NVFP4 ? (w.cols + part - 1) / part : blocks;
    for (int64_t r = r0; r < r1; ++r) {
        const uint8_t* row = w.data + r * row_bytes;
        const float mult = w.type == WEIGHTS_INT8 ? w.scales[r] : w.type == WEIGHTS_NVFP4 ? w.scales[0] : 1.0f;
        for (int64_t t = 0; t < n; ++t) {
            float acc = 0.0f;
            for (int64_t p = 0; p < parts; ++p) {
                const BlockDot d = block_dot(w, row, a.row(t), p * part, part);
                const float dx = a.block_scale(t, p * part / 32);
                acc += static_cast<float>(d.dot) * (d.d * dx) + d.m * (dx * static_cast<float>(a.block_sum(t, p * part / 32)));
            }
            out[t * out_stride + r] = acc * mult + (bias ? bias[r] : 0.0f);
        }
    }
}

}  // namespace euclid::kernels
