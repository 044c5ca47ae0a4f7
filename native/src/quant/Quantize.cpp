#include "quant/Quantize.h"

#include <cmath>
#include <cstring>

#include "io/TensorFile.h"
#include "kernels/cpu/Matrix.h"
#include "quant/Fp8.h"
#include "quant/MxQuantize.h"
#include "quant/Q4.h"

namespace euclid {

uint16_t float_to_bf16(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((bits >> 16) | 0x40);  // quiet NaN
    bits += 0x7FFFu + ((bits >> 16) & 1u);  // round to nearest, ties to even
    return static_cast<uint16_t>(bits >> 16);
}

uint16_t float_to_half(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
    const uint32_t abs = bits & 0x7FFFFFFFu;
    if (abs > 0x7F800000u) return sign | 0x7E00u;  // NaN
    if (abs >= 0x477FF000u) return sign | 0x7C00u; // rounds to >= 65520: infinity
    if (abs < 0x38800000u) {                        // below the smallest normal half: subnormal or zero
        const float a = std::fabs(f);
        return sign | static_cast<uint16_t>(std::nearbyint(a * 16777216.0f));  // a / 2^-24, ties to even
    }
    // Normal: rebias the exponent (127 -> 15) and round the 23-bit mantissa to 10 bits.
    uint32_t h = ((abs >> 23) - 112) << 10 | ((abs >> 13) & 0x3FFu);
    const uint32_t rest = abs & 0x1FFFu;
    if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;  // may carry into the exponent, correctly
    return sign | static_cast<uint16_t>(h);
}

void quantize_rows(const float* src, int64_t rows, int64_t cols, int32_t type, uint8_t* dst, float* scales) {
    if (weight_type_blocked(type)) {
        quantize_blocked_rows(src, rows, cols, type, dst, scales);
        return;
    }
    for (int64_t r = 0; r < rows; ++r) {
        const float* row = src + r * cols;
        switch (type) {
            case WEIGHTS_F32:
                std::memcpy(dst + r * cols * 4, row, static_cast<size_t>(cols) * 4);
                break;
            case WEIGHTS_BF16:
            case WEIGHTS_F16:
                for (int64_t k = 0; k < cols; ++k) {
                    const uint16_t h = type == WEIGHTS_F16 ? float_to_half(row[k]) : float_to_bf16(row[k]);
                    std::memcpy(dst + (r * cols + k) * 2, &h, 2);
                }
                break;
            case WEIGHTS_Q4_0:
            case WEIGHTS_Q4_1:
                quantize_row_q4(row, cols, type, dst + r * weight_row_bytes(type, cols));
                break;
            default: {  // FP8, INT8: symmetric per-row scale
                float absmax = 0.0f;
                for (int64_t k = 0; k < cols; ++k) absmax = std::fmax(absmax, std::fabs(row[k]));
                const float limit = type == WEIGHTS_FP8 ? kFp8Max : kInt8Max;
                const float scale = absmax > 0.0f ? absmax / limit : 1.0f;
                scales[r] = scale;
                uint8_t* out = dst + r * cols;
                for (int64_t k = 0; k < cols; ++k) {
                    const float v = row[k] / scale;
                    if (type == WEIGHTS_FP8) {
                        out[k] = float_to_fp8(v);
                    } else {
                        const float q = std::fmin(kInt8Max, std::fmax(-kInt8Max, std::nearbyint(v)));
                        out[k] = static_cast<uint8_t>(static_cast<int8_t>(q));
                    }
                }
            }
        }
    }
}

void dequantize_row(const uint8_t* data, const float* scales, int32_t type, int64_t row, int64_t cols, float* out) {
    if (weight_type_blocked(type)) {
        dequantize_blocked_row(data, scales, type, row, cols, out);
        return;
    }
    const uint8_t* p = data + row * weight_row_bytes(type, cols);
    if (weight_type_is_q4(type)) {
        dequantize_row_q4(p, type, cols, out);
        return;
    }
    const float scale = weight_type_has_scales(type) ? scales[row] : 1.0f;
    for (int64_t k = 0; k < cols; ++k) {
        float v;
        switch (type) {
            case WEIGHTS_F32: std::memcpy(&v, p + 4 * k, 4); break;
            case WEIGHTS_BF16:
            case WEIGHTS_F16: {
                uint16_t h;
                std::memcpy(&h, p + 2 * k, 2);
                v = type == WEIGHTS_F16 ? half_to_float(h) : bf16_to_float(h);
                break;
            }
            case WEIGHTS_FP8: v = fp8_to_float(p[k]); break;
            default: v = static_cast<float>(static_cast<int8_t>(p[k])); break;
        }
        out[k] = v * scale;
    }
}

}  // namespace euclid
