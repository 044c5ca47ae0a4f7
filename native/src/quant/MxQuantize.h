// Converts FP32 weights into the block-scaled formats of quant/Mx.h and back.
//
// Scales follow the specs' rules, rounded up so that no value overflows its
// element type (every scaled value is at most the element maximum, so nothing
// saturates): MX (OCP v1.0) takes the power of two 2^X, X the smallest integer
// with absmax / 2^X <= the element maximum (6 for E2M1, 448 for E4M3); NVFP4 takes
// the FP32 tensor scale absmax / (448 * 6) and, per block, the smallest E4M3
// scale s with block absmax / (s * tensor scale) <= 6. Elements are then rounded
// to nearest, ties to even.
#pragma once

#include <cstdint>

namespace euclid {

// The E2M1 code of v: round to nearest, ties to the even code, saturating at +-6;
// NaN and values that round to zero give +0.
uint8_t float_to_e2m1(float v);

// The E8M0 byte of the MX scale for a block whose largest magnitude is absmax
// (127, a scale of 1, for an all-zero block; clamped to 2^-127 .. 2^127).
uint8_t mx_scale_byte(float absmax, float element_max);

// rows x cols FP32 weights as `type` (a blocked WeightType) into dst
// (rows * weight_row_bytes) and, for NVFP4, the tensor scale into scales[0].
void quantize_blocked_rows(const float* src, int64_t rows, int64_t cols, int32_t type, uint8_t* dst, float* scales);

// Row `row` back as FP32: code value x block scale (x tensor scale).
void dequantize_blocked_row(const uint8_t* data, const float* scales, int32_t type, int64_t row, int64_t cols,
                            float* out);

}  // namespace euclid
