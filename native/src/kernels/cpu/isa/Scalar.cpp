// Portable kernels for CPUs without AVX2: correct everywhere, fast nowhere.
#include <cmath>
#include <cstring>

#include "io/TensorFile.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "quant/Fp8.h"
#include "quant/Q4.h"

namespace euclid::kernels {
namespace {

float weight_at(const Matrix& w, const uint8_t* row, int64_t k) {
    switch (w.type) {
        case WEIGHTS_F32: {
            float f;
            std::memcpy(&f, row + 4 * k, 4);
            return f;
        }
        case WEIGHTS_BF16:
        case WEIGHTS_F16: {
            uint16_t h;
            std::memcpy(&h, row + 2 * k, 2);
            return w.type == WEIGHTS_F16 ? half_to_float(h) : bf16_to_float(h);
        }
        case WEIGHTS_FP8: return fp8_to_float(row[k]);
        case WEIGHTS_NVFP4:
        case WEIGHTS_MXFP4:
        case WEIGHTS_MXFP8: return mx_weight_at(w.type, row, k);
        case WEIGHTS_Q4_0:
        case WEIGHTS_Q4_1: return q4_weight_at(row, w.type, k);
        default: return static_cast<float>(static_cast<int8_t>(row[k]));
    }
}

void matmul_rows(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t n,
                 int64_t r0, int64_t r1) {
    const int64_t row_bytes = weight_row_bytes(w.type, w.cols);
    for (int64_t r = r0; r < r1; ++r) {
        const uint8_t* row = w.data + r * row_bytes;
        // NVFP4's one tensor scale, like a row scale, multiplies the finished sum.
        const float mult = weight_type_has_scales(w.type) ? w.scales[r] : w.type == WEIGHTS_NVFP4 ? w.scales[0] : 1.0f;
        for (int64_t t = 0; t < n; ++t) {
            const float* xt = x + t * w.cols;
            float acc = 0.0f;
            for (int64_t k = 0; k < w.cols; ++k) acc += weight_at(w, row, k) * xt[k];
            out[t * out_stride + r] = acc * mult + (bias ? bias[r] : 0.0f);
        }
    }
}

float dot(const float* a, const float* b, int64_t n) {
    float acc = 0.0f;
    for (int64_t i = 0; i < n; ++i) acc += a[i] * b[i];
    return acc;
}

void dots(const float* a, int64_t a_stride, int64_t m, const float* b, int64_t b_stride, int64_t rows, int64_t n,
          float scale, float* out, int64_t out_stride) {
    for (int64_t i = 0; i < m; ++i) {
        for (int64_t r = 0; r < rows; ++r) out[i * out_stride + r] = dot(a + i * a_stride, b + r * b_stride, n) * scale;
    }
}

void axpys(float* y, int64_t y_stride, int64_t m, const float* s, int64_t s_stride, const float* x, int64_t x_stride,
           int64_t rows, int64_t n) {
    for (int64_t i = 0; i < m; ++i) {
        float* yi = y + i * y_stride;
        for (int64_t r = 0; r < rows; ++r) {
            const float si = s[i * s_stride + r];
            const float* xr = x + r * x_stride;
            for (int64_t j = 0; j < n; ++j) yi[j] += si * xr[j];
        }
    }
}

void halves_to_floats(const uint16_t* in, float* out, int64_t n) {
    for (int64_t i = 0; i < n; ++i) out[i] = half_to_float(in[i]);
}

}  // namespace

void exp_libm(float* out, const float* in, int64_t n) {
    for (int64_t i = 0; i < n; ++i) out[i] = std::exp(in[i]);
}

KernelTable scalar_kernels() { return {"scalar", 1, dot, dots, axpys, matmul_rows, exp_libm, halves_to_floats, quantize_rows, nullptr, nullptr}; }

}  // namespace euclid::kernels
