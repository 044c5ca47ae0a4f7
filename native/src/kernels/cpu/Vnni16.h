// INT8, FP8, Q4_0, Q4_1, NVFP4 and MXFP4 weight rows reordered for the VNNI products with int8
// activations (ACTIVATIONS_INT8): groups of 16 rows; for every 4 consecutive columns, the group's 16
// rows' 4 values side by side (64 bytes), each an unsigned byte (vpdpbusd's first factor): INT8 w + 128,
// FP8 its block's int8 q + 128 (below), Q4 the 4-bit q, FP4 the E2M1 code (the kernel maps it to an
// unsigned byte). One vpdpbusd then adds 4 products to the lane of each of 16 rows, so a 32-column
// block of 16 rows ends as one integer per row (NVFP4: one per 16-column half), scaled once: 8
// vpdpbusd, a conversion and an FMA (FP8 and 4-bit: and a multiply by the rows' block scales) per 16
// rows x 32 columns x token. Row by row, a conversion and an
// FMA per 64 columns of every (row, token) pair made the products only 1.2x faster than with FP32
// activations; this layout makes them 1.8x (native/bench, Zen 4). AVX2 reads the same copies
// (isa/Int8Group16Avx2.cpp), half a 64-byte line (8 rows) per vector.
//
// FP8 (E4M3: a 4-bit significand times a power of two) is not an int8 format: each row's 32-column
// block becomes int8 q times 2^k, k the smallest with every |value| / 2^k <= 127. The block's largest
// values (its top four binades, where the weight sits within 1/16 of the block's largest) stay
// exact; smaller ones round to the nearest 2^k (ties to even), an error at most 1/240 of the block's
// largest value, far below E4M3's own rounding of 1/32 of each value.
//
// Layout, group g at g * vnni16_group_bytes, block b (columns 32b..32b+31) at vnni16_block_offset(b)
// in it:
// - INT8 and FP8: quad q (columns 32b+4q..+3) at 64q, row 16g+i's 4 bytes at 64q + 4i. FP8 blocks go
//   in fours, each four after one 64-byte line of their exponents (block 4s+j's 16 rows' k + 127, E8M0
//   bytes, at 16j): one stream, every load aligned, 16 bytes per block more.
// - 4-bit: 4 vectors of 64 bytes; vector p holds quad p (columns 32b+4p..) in its low nibbles and
//   quad p+4 (columns 32b+16+4p..) in its high nibbles, row i at 4i; then the 16 rows' block scales:
//   Q4 d as FP16 (32 bytes) and for Q4_1 their minimums m (32 bytes); MXFP4 the E8M0 bytes (16);
//   NVFP4 the E4M3 bytes of the first halves (16), then of the second halves (16). So every format
//   keeps its bits per weight (a copy with FP32 scales read 11-20% more per decode step), and the
//   4-bit blocks are not 64-byte aligned.
// Rows past the matrix and columns past its width hold weight 0 (INT8, FP8: 128; 4-bit: q = 0,
// d = m = 0; FP4: code 0, scale byte 0).
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
// Bytes of one group's block: INT8 and FP8 16 x 32; 4-bit 256 of nibbles and the scales above.
constexpr int64_t vnni16_block_bytes(int32_t type) {
    return type == WEIGHTS_INT8 || type == WEIGHTS_FP8 ? 512
         : type == WEIGHTS_Q4_0 ? 288
         : type == WEIGHTS_Q4_1 ? 320
         : type == WEIGHTS_NVFP4 ? 288
                                 : 272;  // MXFP4
}
constexpr bool vnni16_takes(int32_t type) {
    return type == WEIGHTS_INT8 || type == WEIGHTS_FP8 || type == WEIGHTS_Q4_0 || type == WEIGHTS_Q4_1 ||
           type == WEIGHTS_NVFP4 || type == WEIGHTS_MXFP4;
}
// FP8: blocks per line of exponents, and the bytes of such a four (its exponents and blocks).
constexpr int64_t kFp8BlocksPerExponentLine = 4;
constexpr int64_t kFp8FourBytes = 64 + kFp8BlocksPerExponentLine * 512;
// Where block b starts in its group, and (FP8) where its 16 exponents are.
constexpr int64_t vnni16_block_offset(int32_t type, int64_t b) {
    return type == WEIGHTS_FP8 ? b / kFp8BlocksPerExponentLine * kFp8FourBytes + 64 + b % kFp8BlocksPerExponentLine * 512
                               : b * vnni16_block_bytes(type);
}
constexpr int64_t vnni16_fp8_exponents_offset(int64_t b) {
    return b / kFp8BlocksPerExponentLine * kFp8FourBytes + 16 * (b % kFp8BlocksPerExponentLine);
}
// Bytes of one group of `blocks` blocks (FP8: and their exponents).
constexpr int64_t vnni16_group_bytes(int32_t type, int64_t blocks) {
    return blocks * vnni16_block_bytes(type) +
           (type == WEIGHTS_FP8 ? 64 * ((blocks + kFp8BlocksPerExponentLine - 1) / kFp8BlocksPerExponentLine) : 0);
}
constexpr int64_t vnni16_bytes(int32_t type, int64_t rows, int64_t cols) {
    return vnni16_groups(rows) * vnni16_group_bytes(type, vnni16_blocks(cols));
}

// FP8's block exponent k for `n` E4M3 values (decoded, before the row scale): the smallest with every
// |value| / 2^k <= 127 (0 for an all-zero block). The block holds nearbyint(value / 2^k) * 2^k.
int fp8_block_exponent(const float* values, int64_t n);

// Writes w (a type vnni16_takes) in the layout above to out (vnni16_bytes(w.type, w.rows, w.cols) bytes).
void repack_vnni16(const Matrix& w, uint8_t* out);

}  // namespace euclid::kernels
