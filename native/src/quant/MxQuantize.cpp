#include "quant/MxQuantize.h"

#include <cmath>
#include <cstring>

#include "kernels/cpu/Matrix.h"
#include "quant/Fp8.h"
#include "quant/Mx.h"

namespace euclid {

namespace {

constexpr float kE2m1Magnitudes[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};

float absmax_of(const float* v, int64_t n) {
    float m = 0.0f;
    for (int64_t i = 0; i < n; ++i) m = std::fmax(m, std::fabs(v[i]));
    return m;
}

// The smallest positive E4M3 byte whose value s keeps absmax / (s * tensor_scale) <= 6.
uint8_t nvfp4_block_scale(float absmax, float tensor_scale) {
    if (absmax == 0.0f) return 0;
    const float target = absmax / (kE2m1Max * tensor_scale);
    uint8_t c = float_to_fp8(target);
    if (kMxTables.e4m3[c] < target && c < 0x7E) ++c;
    if (c == 0) c = 1;
    while (c < 0x7E && absmax / (kMxTables.e4m3[c] * tensor_scale) > kE2m1Max) ++c;
    return c;
}

// Packs n (<= block) values, already divided by their scale, as E2M1 codes.
void pack_e2m1(const float* v, int64_t n, uint8_t* q) {
    for (int64_t i = 0; i < n; ++i) q[i / 2] |= static_cast<uint8_t>(float_to_e2m1(v[i]) << (4 * (i & 1)));
}

void quantize_row(const float* row, int64_t cols, int32_t type, float tensor_scale, uint8_t* out) {
    const int64_t bv = block_values(type);
    float scaled[kMxBlockValues];
    for (int64_t b0 = 0; b0 < cols; b0 += bv, out += block_bytes(type)) {
        const int64_t n = cols - b0 < bv ? cols - b0 : bv;
        const float* v = row + b0;
        const float absmax = absmax_of(v, n);
        if (type == WEIGHTS_NVFP4) {
            auto* blk = reinterpret_cast<Nvfp4Block*>(out);
            blk->scale = nvfp4_block_scale(absmax, tensor_scale);
            const float s = kMxTables.e4m3[blk->scale] * tensor_scale;
            for (int64_t i = 0; i < n; ++i) scaled[i] = absmax == 0.0f ? 0.0f : v[i] / s;
            pack_e2m1(scaled, n, blk->q);
        } else {
            const uint8_t e = mx_scale_byte(absmax, type == WEIGHTS_MXFP4 ? kE2m1Max : kFp8Max);
            for (int64_t i = 0; i < n; ++i) scaled[i] = std::ldexp(v[i], 127 - e);  // exact: a power of two
            if (type == WEIGHTS_MXFP4) {
                auto* blk = reinterpret_cast<Mxfp4Block*>(out);
                blk->scale = e;
                pack_e2m1(scaled, n, blk->q);
            } else {
                auto* blk = reinterpret_cast<Mxfp8Block*>(out);
                blk->scale = e;
                for (int64_t i = 0; i < n; ++i) blk->q[i] = float_to_fp8(scaled[i]);
            }
        }
    }
}

}  // namespace

uint8_t float_to_e2m1(float v) {
    const float a = std::fabs(v);
    if (!(a == a)) return 0;
    int code = 7;
    for (int c = 0; c < 7; ++c) {
        const float mid = (kE2m1Magnitudes[c] + kE2m1Magnitudes[c + 1]) * 0.5f;  // exact: few significant bits
        if (a < mid || (a == mid && c % 2 == 0)) {
            code = c;
            break;
        }
    }
    return code != 0 && std::signbit(v) ? static_cast<uint8_t>(code | 8) : static_cast<uint8_t>(code);
}

uint8_t mx_scale_byte(float absmax, float element_max) {
    if (!(absmax > 0.0f)) return 127;
    int x;
    std::frexp(absmax / element_max, &x);  // a first guess, off by at most one either way
    while (x < 127 && std::ldexp(element_max, x) < absmax) ++x;
    while (x > -127 && std::ldexp(element_max, x - 1) >= absmax) --x;
    return static_cast<uint8_t>(x + 127);
}

void quantize_blocked_rows(const float* src, int64_t rows, int64_t cols, int32_t type, uint8_t* dst, float* scales) {
    const int64_t row_bytes = weight_row_bytes(type, cols);
    std::memset(dst, 0, static_cast<size_t>(rows * row_bytes));
    float tensor_scale = 1.0f;
    if (type == WEIGHTS_NVFP4) {
        const float absmax = absmax_of(src, rows * cols);
        if (absmax > 0.0f && std::isfinite(absmax)) tensor_scale = absmax / (kFp8Max * kE2m1Max);
        scales[0] = tensor_scale;
    }
    for (int64_t r = 0; r < rows; ++r) quantize_row(src + r * cols, cols, type, tensor_scale, dst + r * row_bytes);
}

void dequantize_blocked_row(const uint8_t* data, const float* scales, int32_t type, int64_t row, int64_t cols,
                            float* out) {
    const uint8_t* p = data + row * weight_row_bytes(type, cols);
    const float tensor_scale = type == WEIGHTS_NVFP4 ? scales[0] : 1.0f;
    for (int64_t k = 0; k < cols; ++k) out[k] = mx_weight_at(type, p, k) * tensor_scale;
}

}  // namespace euclid
