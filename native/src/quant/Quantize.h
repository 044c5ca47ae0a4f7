// Converts FP32 weights into the storage formats the kernels read.
#pragma once

#include <cstdint>

namespace euclid {

// Writes rows x cols weights of `src` as `type` (WeightType) into dst
// (rows * cols * element bytes) and, for FP8/INT8, one scale per row into
// scales: FP8 uses absmax/448 with round-to-nearest-even and saturation, INT8
// absmax/127 (symmetric). An all-zero row gets scale 1. The block-scaled types
// go to quant/MxQuantize.h (NVFP4's one tensor scale into scales[0]); Q4_0/Q4_1
// rows become 32-weight blocks (quant/Q4.h; cols must be a multiple of 32).
void quantize_rows(const float* src, int64_t rows, int64_t cols, int32_t type, uint8_t* dst, float* scales);

// Reads one row back as FP32 (value = stored * scale).
void dequantize_row(const uint8_t* data, const float* scales, int32_t type, int64_t row, int64_t cols, float* out);

uint16_t float_to_half(float f);
uint16_t float_to_bf16(float f);

}  // namespace euclid
