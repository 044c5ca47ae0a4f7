// INT8, Q4_0, Q4_1, NVFP4 and MXFP4 weight rows reordered for the VNNI products with int8
// activations (ACTIVATIONS_INT8): groups of 16 rows; for every 4 consecutive columns, the group's 16
// rows' 4 values side by side (64 bytes), each an unsigned byte (vpdpbusd's first factor): INT8 w + 128,
// Q4 the 4-bit q, FP4 the E2M1 code (the kernel maps it to an unsigned byte). One vpdpbusd then adds 4
// products to the lane of each of 16 rows, so a 32-column block of 16 rows ends as one integer per row
// (NVFP4: one per 16-column half), scaled once: 8 vpdpbusd, a conversion and an FMA (4-bit: and a
// multiply by the rows' block scales) per 16 rows x 32 columns x token. Row by row, a conversion and an
// FMA per 64 columns of every (row, token) pair made the products only 1.2x faster than with FP32
// activations; this layout makes them 1.8x (native/bench, Zen 4).
//
// Layout, group g, block b (columns 32b..32b+31) at (g * blocks + b) * vnni16_block_bytes:
// - INT8: quad q (columns 32b+4q..+3) at 64q, row 16g+i's 4 bytes at 64q + 4i.
// - 4-bit: 4 vectors of 64 bytes; vector p holds quad p (columns 32b+4p..) in its low nibbles and
//   quad p+4 (columns 32b+16+4p..) in its high nibbles, row i at 4i; then the 16 rows' block scales:
//   Q4 d as FP16 (32 bytes) and for Q4_1 their minimums m (32 bytes); MXFP4 the E8M0 bytes (16);
//   NVFP4 the E4M3 bytes of the first halves (16), then of the second halves (16). So every format
//   keeps its bits per weight (a copy with FP32 scales read 11-20% more per decode step), and the
//   4-bit blocks are not 64-byte aligned.
// Rows past the matrix and columns past its width hold weight 0 (INT8: 128; 4-bit: q = 0, d = m = 0;
// FP4: code 0, scale byte 0).
#pragma once

#include <cstdint>

#include "kernels/cpu/Matrix.h"

namespace euclid::kernels {

constexpr int64_t kVnniRows = 16;
// What the layout adds to INT8 weights (vpdpbusd's unsigned factor): the products then carry this
// times the activations' sum, which the kernel takes off again (Int8Rows::int8_offset).
constexpr int32_t kVnniInt8Bias = 128;

constexpr int64_t vnni16_groups(int64_t rows) { return (rows + kVnniRows - 1) / kVnniRows; }
constexpr int64_t vnni16_blocks(int64_t cols) { return (cols + 31) / 32; }
// Bytes of one group's block: INT8 16 x 32; 4-bit 256 of nibbles and the scales above.
constexpr int64_t vnni16_block_bytes(int32_t type) {
    return type == WEIGHTS_INT8 ? 512
         : type == WEIGHTS_Q4_0 ? 288
         : type == WEIGHTS_Q4_1 ? 320
         : type == WEIGHTS_NVFP4 ? 288
                                 : 272;  // MXFP4
}
constexpr bool vnni16_takes(int32_t type) {
    return type == WEIGHTS_INT8 || type == WEIGHTS_Q4_0 || type == WEIGHTS_Q4_1 || type == WEIGHTS_NVFP4 ||
           type == WEIGHTS_MXFP4;
}
constexpr int64_t vnni16_bytes(int32_t type, int64_t rows, int64_t cols) {
    return vnni16_groups(rows) * vnni16_blocks(cols) * vnni16_block_bytes(type);
}

// Writes w (a type vnni16_takes) in the layout above to out (vnni16_bytes(w.type, w.rows, w.cols) bytes).
void repack_vnni16(const Matrix& w, uint8_t* out);

}  // namespace euclid::kernels
