#include "quant/Q4.h"

#include <cmath>
#include <cstring>

#include "io/TensorFile.h"
#include "quant/Quantize.h"

namespace euclid {

namespace {

constexpr int kHalf = kQ4BlockValues / 2;

// Nibble q of weight j (< 32) in a block's packed bytes.
inline int nibble(const uint8_t* qs, int j) { return j < kHalf ? qs[j] & 0xF : qs[j - kHalf] >> 4; }

inline uint8_t clamp_q(float v) { return static_cast<uint8_t>(std::fmin(15.0f, std::fmax(0.0f, v))); }

void quantize_block_q4_0(const float* x, BlockQ4_0* b) {
    float amax = 0.0f, max = 0.0f;  // max keeps the sign: it becomes q = 0 (-8 d)
    for (int j = 0; j < kQ4BlockValues; ++j) {
        if (std::fabs(x[j]) > amax) {
            amax = std::fabs(x[j]);
            max = x[j];
        }
    }
    const float d = max / -8.0f, id = d != 0.0f ? 1.0f / d : 0.0f;
    b->d = float_to_half(d);
    for (int j = 0; j < kHalf; ++j) {
        // Truncation after + 8.5 rounds half up, as ggml does; 16 (only for the max itself) clamps to 15.
        const uint8_t lo = clamp_q(std::trunc(x[j] * id + 8.5f)), hi = clamp_q(std::trunc(x[j + kHalf] * id + 8.5f));
        b->qs[j] = static_cast<uint8_t>(lo | hi << 4);
    }
}

void quantize_block_q4_1(const float* x, BlockQ4_1* b) {
    float min = x[0], max = x[0];
    for (int j = 1; j < kQ4BlockValues; ++j) {
        min = std::fmin(min, x[j]);
        max = std::fmax(max, x[j]);
    }
    const float d = (max - min) / 15.0f, id = d != 0.0f ? 1.0f / d : 0.0f;
    b->d = float_to_half(d);
    b->m = float_to_half(min);
    for (int j = 0; j < kHalf; ++j) {
        const uint8_t lo = clamp_q(std::trunc((x[j] - min) * id + 0.5f));
        const uint8_t hi = clamp_q(std::trunc((x[j + kHalf] - min) * id + 0.5f));
        b->qs[j] = static_cast<uint8_t>(lo | hi << 4);
    }
}

}  // namespace

void quantize_row_q4(const float* src, int64_t cols, int32_t type, uint8_t* dst) {
    for (int64_t k = 0; k < cols; k += kQ4BlockValues) {
        uint8_t* block = dst + k / kQ4BlockValues * q4_block_bytes(type);
        if (type == WEIGHTS_Q4_0) {
            BlockQ4_0 b;
            quantize_block_q4_0(src + k, &b);
            std::memcpy(block, &b, sizeof b);
        } else {
            BlockQ4_1 b;
            quantize_block_q4_1(src + k, &b);
            std::memcpy(block, &b, sizeof b);
        }
    }
}

float q4_weight_at(const uint8_t* row, int32_t type, int64_t k) {
    const uint8_t* block = row + k / kQ4BlockValues * q4_block_bytes(type);
    const int j = static_cast<int>(k % kQ4BlockValues);
    uint16_t h[2];  // d, and m for Q4_1 (blocks are not aligned)
    std::memcpy(h, block, type == WEIGHTS_Q4_0 ? 2 : 4);
    const uint8_t* qs = block + (type == WEIGHTS_Q4_0 ? 2 : 4);
    const float d = half_to_float(h[0]);
    if (type == WEIGHTS_Q4_0) return d * static_cast<float>(nibble(qs, j) - 8);
    // d * q is exact in FP32 (11 + 4 bits), so the FMA the SIMD kernels use rounds only the add, as here.
    return std::fma(d, static_cast<float>(nibble(qs, j)), half_to_float(h[1]));
}

void dequantize_row_q4(const uint8_t* row, int32_t type, int64_t cols, float* out) {
    for (int64_t k = 0; k < cols; ++k) out[k] = q4_weight_at(row, type, k);
}

}  // namespace euclid
