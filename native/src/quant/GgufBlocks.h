// GGUF's (ggml's) 2- to 6-bit source block formats that Euclid reads but does
// not run: their layouts, decoding to FP32 exactly as ggml's reference
// dequantisation computes it, and the one conversion into a native format
// (Q4_K -> Q4_1). Q4_0/Q4_1 themselves are native (quant/Q4.h).
#pragma once

#include <cstdint>

namespace euclid {

constexpr int32_t kSuperBlockValues = 256;  // ggml's QK_K

// Q5_0: w = d * (q - 16), q = 4 low bits from qs and the fifth from qh (bit j of weight j).
struct BlockQ5_0 {
    uint16_t d;
    uint8_t qh[4];
    uint8_t qs[16];
};
static_assert(sizeof(BlockQ5_0) == 22, "ggml stores Q5_0 blocks of 22 bytes");

// Q5_1: w = d * q + m.
struct BlockQ5_1 {
    uint16_t d, m;
    uint8_t qh[4];
    uint8_t qs[16];
};
static_assert(sizeof(BlockQ5_1) == 24, "ggml stores Q5_1 blocks of 24 bytes");

// Q4_K: 256 weights in 8 sub-blocks of 32; sub-block i has a 6-bit scale sc_i
// and 6-bit min m_i packed into `scales`, w = (d * sc_i) * q - dmin * m_i.
struct BlockQ4_K {
    uint16_t d, dmin;
    uint8_t scales[12];
    uint8_t qs[kSuperBlockValues / 2];
};
static_assert(sizeof(BlockQ4_K) == 144, "ggml stores Q4_K blocks of 144 bytes");

// Q5_K: Q4_K plus a fifth bit per weight in qh.
struct BlockQ5_K {
    uint16_t d, dmin;
    uint8_t scales[12];
    uint8_t qh[kSuperBlockValues / 8];
    uint8_t qs[kSuperBlockValues / 2];
};
static_assert(sizeof(BlockQ5_K) == 176, "ggml stores Q5_K blocks of 176 bytes");

// Q6_K: 16 sub-blocks of 16 with int8 scales, w = (d * sc_i) * (q - 32), q 6 bits (ql low 4, qh high 2).
struct BlockQ6_K {
    uint8_t ql[kSuperBlockValues / 2];
    uint8_t qh[kSuperBlockValues / 4];
    int8_t scales[kSuperBlockValues / 16];
    uint16_t d;
};
static_assert(sizeof(BlockQ6_K) == 210, "ggml stores Q6_K blocks of 210 bytes");

// Q2_K: 16 sub-blocks of 16, each with a 4-bit scale (low nibble of `scales`) and 4-bit min (high
// nibble), w = (d * sc_i) * q - dmin * m_i, q 2 bits.
struct BlockQ2_K {
    uint8_t scales[kSuperBlockValues / 16];
    uint8_t qs[kSuperBlockValues / 4];
    uint16_t d, dmin;
};
static_assert(sizeof(BlockQ2_K) == 84, "ggml stores Q2_K blocks of 84 bytes");

// Q3_K: 16 sub-blocks of 16 with 6-bit scales (packed into 12 bytes, minus 32), w = (d * sc_i) * q,
// q = 2 low bits from qs minus 4 unless its bit in hmask is set (-4..3).
struct BlockQ3_K {
    uint8_t hmask[kSuperBlockValues / 8];
    uint8_t qs[kSuperBlockValues / 4];
    uint8_t scales[12];
    uint16_t d;
};
static_assert(sizeof(BlockQ3_K) == 110, "ggml stores Q3_K blocks of 110 bytes");

// IQ4_NL: 32 weights, w = d * kIq4Values[q], q 4 bits packed as Q4_0's (weights j and j + 16 in byte j).
struct BlockIQ4_NL {
    uint16_t d;
    uint8_t qs[16];
};
static_assert(sizeof(BlockIQ4_NL) == 18, "ggml stores IQ4_NL blocks of 18 bytes");

// IQ4_XS: 8 sub-blocks of 32 with 6-bit scales (low nibbles in scales_l, high 2 bits in scales_h,
// minus 32), w = (d * sc_i) * kIq4Values[q], each sub-block's q packed as IQ4_NL's.
struct BlockIQ4_XS {
    uint16_t d;
    uint16_t scales_h;
    uint8_t scales_l[kSuperBlockValues / 64];
    uint8_t qs[kSuperBlockValues / 2];
};
static_assert(sizeof(BlockIQ4_XS) == 136, "ggml stores IQ4_XS blocks of 136 bytes");

// Elements and bytes of one block of a GGUF block dtype (DTYPE_Q4_0 .. DTYPE_IQ4_XS); {0, 0} otherwise.
struct GgufBlockShape {
    int64_t values, bytes;
};
GgufBlockShape gguf_block_shape(int32_t dtype);

// Decodes `nblocks` blocks of a GGUF block dtype from src (unaligned) into dst.
void decode_gguf_blocks(int32_t dtype, const uint8_t* src, int64_t nblocks, float* dst);

// Q4_K super-blocks as 8 Q4_1 blocks each: d' = d * sc_i and m' = -(dmin * m_i)
// rounded to FP16. Exact when both products fit FP16's 11-bit mantissa (then
// d' q + m' is ggml's value bit for bit); otherwise each moves by at most half
// an FP16 ulp, 2^-12 of itself, far below the 4-bit step.
void q4_k_to_q4_1(const uint8_t* src, int64_t nblocks, uint8_t* dst);

}  // namespace euclid
