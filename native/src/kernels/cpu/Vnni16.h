// INT8 weight rows reordered for the VNNI products with int8 activations (ACTIVATIONS_INT8):
// groups of 16 rows; for every 4 consecutive columns, the group's 16 rows' 4 bytes side by side
// (64 bytes), each byte the weight + 128 (unsigned, as vpdpbusd's first factor). One vpdpbusd
// then adds 4 products to the lane of each of 16 rows, so a 32-column block of 16 rows ends as
// one integer per row, scaled once by the block's activation scale: 8 vpdpbusd, a conversion and
// an FMA per 16 rows x 32 columns x token, where the row-major layout needs a conversion and an
// FMA per 64 columns of every (row, token) pair (isa/Int8Vnni.cpp).
//
// Layout: group g, block b (columns 32b..32b+31), quad q (columns 32b+4q..+3): 64 bytes at
// ((g * blocks + b) * 8 + q) * 64, row 16g+i's 4 bytes at + 4i. Rows past the matrix and columns
// past its width hold 128 (weight 0).
#pragma once

#include <cstdint>

#include "kernels/cpu/Matrix.h"

namespace euclid::kernels {

constexpr int64_t kVnniRows = 16;

constexpr int64_t vnni16_groups(int64_t rows) { return (rows + kVnniRows - 1) / kVnniRows; }
constexpr int64_t vnni16_blocks(int64_t cols) { return (cols + 31) / 32; }
constexpr int64_t vnni16_bytes(int64_t rows, int64_t cols) { return vnni16_groups(rows) * kVnniRows * vnni16_blocks(cols) * 32; }

// Writes INT8 matrix w in the layout above to out (vnni16_bytes(w.rows, w.cols) bytes).
void repack_vnni16(const Matrix& w, uint8_t* out);

}  // namespace euclid::kernels
