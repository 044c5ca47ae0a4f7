#include "quant/GgufBlocks.h"

#include <cstring>

#include "euclid/euclid.h"
#include "io/TensorFile.h"
#include "quant/Q4.h"
#include "quant/Quantize.h"

namespace euclid {

namespace {

template <typename Block>
Block block_at(const uint8_t* src, int64_t i) {
    Block b;  // copied out: blocks are not aligned in the file
    std::memcpy(&b, src + i * int64_t(sizeof(Block)), sizeof b);
    return b;
}

// Sub-block j's 6-bit scale and min from a K-quant's 12 packed bytes: j < 4 in
// the low 6 bits of bytes j and j + 4; j >= 4 split between a nibble of byte
// j + 4 and the top 2 bits of bytes j - 4 and j.
void scale_min_k4(int j, const uint8_t* s, int* sc, int* m) {
    if (j < 4) {
        *sc = s[j] & 63;
        *m = s[j + 4] & 63;
    } else {
        *sc = (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4);
        *m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
}

void decode_q4_0(const BlockQ4_0& b, float* y) {
    const float d = half_to_float(b.d);
    for (int j = 0; j < 16; ++j) {
        y[j] = static_cast<float>((b.qs[j] & 0xF) - 8) * d;
        y[j + 16] = static_cast<float>((b.qs[j] >> 4) - 8) * d;
    }
}

void decode_q4_1(const BlockQ4_1& b, float* y) {
    const float d = half_to_float(b.d), m = half_to_float(b.m);
    for (int j = 0; j < 16; ++j) {
        y[j] = static_cast<float>(b.qs[j] & 0xF) * d + m;
        y[j + 16] = static_cast<float>(b.qs[j] >> 4) * d + m;
    }
}

// Weight j's fifth bit (j < 16) and weight j + 16's, as 16.
void fifth_bits(const uint8_t qh[4], int j, int* lo, int* hi) {
    uint32_t h;
    std::memcpy(&h, qh, 4);
    *lo = static_cast<int>(((h >> j) << 4) & 0x10);
    *hi = static_cast<int>((h >> (j + 12)) & 0x10);
}

void decode_q5_0(const BlockQ5_0& b, float* y) {
    const float d = half_to_float(b.d);
    for (int j = 0; j < 16; ++j) {
        int lo, hi;
        fifth_bits(b.qh, j, &lo, &hi);
        y[j] = static_cast<float>(((b.qs[j] & 0xF) | lo) - 16) * d;
        y[j + 16] = static_cast<float>(((b.qs[j] >> 4) | hi) - 16) * d;
    }
}

void decode_q5_1(const BlockQ5_1& b, float* y) {
    const float d = half_to_float(b.d), m = half_to_float(b.m);
    for (int j = 0; j < 16; ++j) {
        int lo, hi;
        fifth_bits(b.qh, j, &lo, &hi);
        y[j] = static_cast<float>((b.qs[j] & 0xF) | lo) * d + m;
        y[j + 16] = static_cast<float>((b.qs[j] >> 4) | hi) * d + m;
    }
}

// Q4_K and Q5_K share the layout of scales: 64 weights per step, low nibbles
// of 32 bytes under sub-block 2i, high nibbles under 2i + 1. qh is null for Q4_K.
void decode_k4(uint16_t dh, uint16_t dminh, const uint8_t* scales, const uint8_t* qs, const uint8_t* qh, float* y) {
    const float d = half_to_float(dh), dmin = half_to_float(dminh);
    for (int step = 0; step < 4; ++step) {
        int sc, m;
        scale_min_k4(2 * step, scales, &sc, &m);
        const float d1 = d * static_cast<float>(sc), m1 = dmin * static_cast<float>(m);
        scale_min_k4(2 * step + 1, scales, &sc, &m);
        const float d2 = d * static_cast<float>(sc), m2 = dmin * static_cast<float>(m);
        const uint8_t* q = qs + 32 * step;
        for (int l = 0; l < 32; ++l) {
            const int h1 = qh && (qh[l] >> (2 * step) & 1) ? 16 : 0, h2 = qh && (qh[l] >> (2 * step + 1) & 1) ? 16 : 0;
            y[64 * step + l] = d1 * static_cast<float>((q[l] & 0xF) + h1) - m1;
            y[64 * step + 32 + l] = d2 * static_cast<float>((q[l] >> 4) + h2) - m2;
        }
    }
}

void decode_q6_k(const BlockQ6_K& b, float* y) {
    const float d = half_to_float(b.d);
    for (int half = 0; half < 2; ++half) {
        const uint8_t* ql = b.ql + 64 * half;
        const uint8_t* qh = b.qh + 32 * half;
        const int8_t* sc = b.scales + 8 * half;
        float* out = y + 128 * half;
        for (int l = 0; l < 32; ++l) {
            const int is = l / 16;
            const int q1 = ((ql[l] & 0xF) | ((qh[l] & 3) << 4)) - 32;
            const int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
            const int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
            const int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
            out[l] = d * static_cast<float>(sc[is]) * static_cast<float>(q1);
            out[l + 32] = d * static_cast<float>(sc[is + 2]) * static_cast<float>(q2);
            out[l + 64] = d * static_cast<float>(sc[is + 4]) * static_cast<float>(q3);
            out[l + 96] = d * static_cast<float>(sc[is + 6]) * static_cast<float>(q4);
        }
    }
}

void decode_q2_k(const BlockQ2_K& b, float* y) {
    const float d = half_to_float(b.d), dmin = half_to_float(b.dmin);
    // Weight 128 h + 32 s + l is bits 2s..2s+1 of byte 32 h + l, in sub-block (128 h + 32 s + l) / 16.
    for (int h = 0; h < 2; ++h) {
        for (int s = 0; s < 4; ++s) {
            for (int l = 0; l < 32; ++l) {
                const int i = 128 * h + 32 * s + l;
                const uint8_t sc = b.scales[i / 16];
                const float dl = d * static_cast<float>(sc & 0xF), ml = dmin * static_cast<float>(sc >> 4);
                y[i] = dl * static_cast<float>((b.qs[32 * h + l] >> (2 * s)) & 3) - ml;
            }
        }
    }
}

// Q3_K's sub-block i scale: low nibble from byte i (i < 8) or the high nibble of byte i - 8, top
// two bits from byte 8 + i % 4 at bit 2 (i / 4); stored plus 32.
int scale_q3_k(const uint8_t* s, int i) {
    const int low = i < 8 ? s[i] & 0xF : s[i - 8] >> 4;
    const int high = (s[8 + i % 4] >> (2 * (i / 4))) & 3;
    return (low | (high << 4)) - 32;
}

void decode_q3_k(const BlockQ3_K& b, float* y) {
    const float d = half_to_float(b.d);
    // Weight 128 h + 32 s + l: 2 bits 2s..2s+1 of byte 32 h + l, less 4 unless bit 4 h + s of hmask[l].
    for (int h = 0; h < 2; ++h) {
        for (int s = 0; s < 4; ++s) {
            for (int l = 0; l < 32; ++l) {
                const int i = 128 * h + 32 * s + l;
                const int q = ((b.qs[32 * h + l] >> (2 * s)) & 3) - ((b.hmask[l] >> (4 * h + s)) & 1 ? 0 : 4);
                const float dl = d * static_cast<float>(scale_q3_k(b.scales, i / 16));
                y[i] = dl * static_cast<float>(q);
            }
        }
    }
}

// IQ4_NL's and IQ4_XS's 16 non-uniform levels.
constexpr int8_t kIq4Values[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

// 32 weights of 4-bit codes packed as Q4_0's, times dl.
void decode_iq4_32(float dl, const uint8_t* qs, float* y) {
    for (int j = 0; j < 16; ++j) {
        y[j] = dl * static_cast<float>(kIq4Values[qs[j] & 0xF]);
        y[j + 16] = dl * static_cast<float>(kIq4Values[qs[j] >> 4]);
    }
}

void decode_iq4_xs(const BlockIQ4_XS& b, float* y) {
    const float d = half_to_float(b.d);
    for (int i = 0; i < 8; ++i) {
        const int ls = ((b.scales_l[i / 2] >> (4 * (i % 2))) & 0xF) | (((b.scales_h >> (2 * i)) & 3) << 4);
        decode_iq4_32(d * static_cast<float>(ls - 32), b.qs + 16 * i, y + 32 * i);
    }
}

}  // namespace

GgufBlockShape gguf_block_shape(int32_t dtype) {
    switch (dtype) {
        case DTYPE_Q4_0: return {kQ4BlockValues, sizeof(BlockQ4_0)};
        case DTYPE_Q4_1: return {kQ4BlockValues, sizeof(BlockQ4_1)};
        case DTYPE_Q5_0: return {kQ4BlockValues, sizeof(BlockQ5_0)};
        case DTYPE_Q5_1: return {kQ4BlockValues, sizeof(BlockQ5_1)};
        case DTYPE_Q4_K: return {kSuperBlockValues, sizeof(BlockQ4_K)};
        case DTYPE_Q5_K: return {kSuperBlockValues, sizeof(BlockQ5_K)};
        case DTYPE_Q6_K: return {kSuperBlockValues, sizeof(BlockQ6_K)};
        case DTYPE_Q2_K: return {kSuperBlockValues, sizeof(BlockQ2_K)};
        case DTYPE_Q3_K: return {kSuperBlockValues, sizeof(BlockQ3_K)};
        case DTYPE_IQ4_NL: return {kQ4BlockValues, sizeof(BlockIQ4_NL)};
        case DTYPE_IQ4_XS: return {kSuperBlockValues, sizeof(BlockIQ4_XS)};
        default: return {0, 0};
    }
}

void decode_gguf_blocks(int32_t dtype, const uint8_t* src, int64_t nblocks, float* dst) {
    const int64_t n = gguf_block_shape(dtype).values;
    for (int64_t i = 0; i < nblocks; ++i) {
        float* y = dst + i * n;
        switch (dtype) {
            case DTYPE_Q4_0: decode_q4_0(block_at<BlockQ4_0>(src, i), y); break;
            case DTYPE_Q4_1: decode_q4_1(block_at<BlockQ4_1>(src, i), y); break;
            case DTYPE_Q5_0: decode_q5_0(block_at<BlockQ5_0>(src, i), y); break;
            case DTYPE_Q5_1: decode_q5_1(block_at<BlockQ5_1>(src, i), y); break;
            case DTYPE_Q4_K: {
                const auto b = block_at<BlockQ4_K>(src, i);
                decode_k4(b.d, b.dmin, b.scales, b.qs, nullptr, y);
                break;
            }
            case DTYPE_Q5_K: {
                const auto b = block_at<BlockQ5_K>(src, i);
                decode_k4(b.d, b.dmin, b.scales, b.qs, b.qh, y);
                break;
            }
            case DTYPE_Q6_K: decode_q6_k(block_at<BlockQ6_K>(src, i), y); break;
            case DTYPE_Q2_K: decode_q2_k(block_at<BlockQ2_K>(src, i), y); break;
            case DTYPE_Q3_K: decode_q3_k(block_at<BlockQ3_K>(src, i), y); break;
            case DTYPE_IQ4_NL: {
                const auto b = block_at<BlockIQ4_NL>(src, i);
                decode_iq4_32(half_to_float(b.d), b.qs, y);
                break;
            }
            case DTYPE_IQ4_XS: decode_iq4_xs(block_at<BlockIQ4_XS>(src, i), y); break;
            default: return;
        }
    }
}

void q4_k_to_q4_1(const uint8_t* src, int64_t nblocks, uint8_t* dst) {
    for (int64_t i = 0; i < nblocks; ++i) {
        const auto b = block_at<BlockQ4_K>(src, i);
        const float d = half_to_float(b.d), dmin = half_to_float(b.dmin);
        for (int sub = 0; sub < 8; ++sub) {
            int sc, m;
            scale_min_k4(sub, b.scales, &sc, &m);
            BlockQ4_1 out;
            out.d = float_to_half(d * static_cast<float>(sc));
            out.m = float_to_half(-(dmin * static_cast<float>(m)));
            // Sub-block 2s takes the low nibbles of bytes [32 s, 32 s + 32), 2s + 1 their high
            // nibbles; Q4_1 packs weights j and j + 16 of its block into byte j.
            const uint8_t* q = b.qs + 32 * (sub / 2);
            const int shift = sub % 2 ? 4 : 0;
            for (int j = 0; j < 16; ++j) {
                out.qs[j] = static_cast<uint8_t>(((q[j] >> shift) & 0xF) | (((q[j + 16] >> shift) & 0xF) << 4));
            }
            std::memcpy(dst + (i * 8 + sub) * int64_t(sizeof(BlockQ4_1)), &out, sizeof out);
        }
    }
}

}  // namespace euclid
