#include "kernels/cpu/Vnni16.h"

#include <cmath>
#include <cstring>

#include "quant/Fp8.h"

namespace euclid::kernels {

namespace {

// Element v (0-31) of a 32-column block in the nibble vectors: quad p = v / 4 in vector p % 4,
// high nibbles for the second half.
void put_nibble(uint8_t* dst, int64_t i, int v, uint8_t code) {
    const int p = v / 4, e = v % 4;
    dst[64 * (p % 4) + 4 * i + e] |= static_cast<uint8_t>(p < 4 ? code : code << 4);
}

void repack_q4_block(int32_t type, const uint8_t* block, uint8_t* dst, int64_t i) {
    const uint8_t* qs = block + (type == WEIGHTS_Q4_0 ? 2 : 4);
    for (int v = 0; v < 32; ++v) put_nibble(dst, i, v, v < 16 ? qs[v] & 0xF : qs[v - 16] >> 4);
    std::memcpy(dst + 256 + 2 * i, block, 2);                          // d
    if (type == WEIGHTS_Q4_1) std::memcpy(dst + 288 + 2 * i, block + 2, 2);  // m
}

// Columns [32b, 32b + 32) of an FP4 row (one MXFP4 block or two NVFP4 blocks; past the row's
// blocks, nothing: code 0, scale byte 0).
void repack_fp4_block(int32_t type, const uint8_t* row, int64_t row_bytes, int64_t b, uint8_t* dst, int64_t i) {
    const int64_t values = block_values(type), bytes = block_bytes(type);
    for (int64_t half = 0; half < 32 / values; ++half) {
        const int64_t at = (32 * b / values + half) * bytes;
        if (at >= row_bytes) break;
        const uint8_t* block = row + at;
        dst[256 + 16 * half + i] = block[0];
        for (int64_t k = 0; k < values; ++k) {
            put_nibble(dst, i, static_cast<int>(values * half + k), (block[1 + k / 2] >> (4 * (k & 1))) & 0xF);
        }
    }
}

// Columns [32b, 32b + 32) of an FP8 row as int8 q + 128 and their exponent k + 127 (the header).
void repack_fp8_block(const uint8_t* row, int64_t cols, int64_t b, uint8_t* dst, uint8_t* exponent) {
    float v[32] = {};
    for (int64_t c = 32 * b; c < cols && c < 32 * b + 32; ++c) v[c % 32] = fp8_to_float(row[c]);
    const int k = fp8_block_exponent(v, 32);
    *exponent = static_cast<uint8_t>(k + 127);
    for (int e = 0; e < 32; ++e) {
        const float q = std::nearbyint(std::ldexp(v[e], -k));  // exact scaling, ties to even
        dst[64 * (e / 4) + e % 4] = static_cast<uint8_t>(static_cast<int32_t>(q) + kVnniInt8Bias);
    }
}

}  // namespace

int fp8_block_exponent(const float* values, int64_t n) {
    float largest = 0.0f;
    for (int64_t i = 0; i < n; ++i) largest = std::fmax(largest, std::fabs(values[i]));
    if (largest == 0.0f) return 0;
    int k = std::ilogb(largest) - 6;  // largest / 2^k in [64, 128)
    if (std::ldexp(largest, -k) > 127.0f) ++k;
    return k;
}

void repack_vnni16(const Matrix& w, uint8_t* out) {
    const int64_t blocks = vnni16_blocks(w.cols), row_bytes = weight_row_bytes(w.type, w.cols);
    const int64_t group_bytes = vnni16_group_bytes(w.type, blocks);
    const bool biased = w.type == WEIGHTS_INT8 || w.type == WEIGHTS_FP8;
    std::memset(out, biased ? kVnniInt8Bias : 0, static_cast<size_t>(vnni16_bytes(w.type, w.rows, w.cols)));
    for (int64_t r = 0; r < w.rows; ++r) {
        const int64_t g = r / kVnniRows, i = r % kVnniRows;
        const uint8_t* row = w.data + r * row_bytes;
        uint8_t* group = out + g * group_bytes;
        for (int64_t b = 0; b < blocks; ++b) {
            uint8_t* dst = group + vnni16_block_offset(w.type, b);
            if (w.type == WEIGHTS_FP8) {
                repack_fp8_block(row, w.cols, b, dst + 4 * i, group + vnni16_fp8_exponents_offset(b) + i);
            } else if (w.type == WEIGHTS_INT8) {
                for (int64_t k = 32 * b; k < w.cols && k < 32 * b + 32; ++k) {
                    dst[64 * ((k % 32) / 4) + 4 * i + k % 4] = static_cast<uint8_t>(static_cast<int8_t>(row[k]) + kVnniInt8Bias);
                }
            } else if (weight_type_is_q4(w.type)) {
                repack_q4_block(w.type, row + b * q4_block_bytes(w.type), dst, i);
            } else {
                repack_fp4_block(w.type, row, row_bytes, b, dst, i);
            }
        }
    }
}

}  // namespace euclid::kernels
