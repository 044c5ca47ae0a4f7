// The block-scaled ("microscaling") weight formats: MXFP8 and MXFP4 as the OCP
// Microscaling Formats (MX) v1.0 spec defines them (32 elements sharing one E8M0
// power-of-two scale; elements E4M3 or E2M1) and NVIDIA's NVFP4 (16 E2M1 elements
// sharing one E4M3 scale, times one FP32 scale per tensor).
//
// A row of `cols` weights is ceil(cols / block) blocks back to back; the last one
// is zero-padded. Two E2M1 codes share a byte: element 2i in the low nibble of
// q[i], element 2i + 1 in the high nibble (the order of PyTorch's float4_e2m1fn_x2).
// Every element's value is exactly code value x block scale (x tensor scale):
// both factors have few significant bits, so the product is exact in FP32.
//
// No library code here: the ISA kernels include this header (see isa/KernelTable.h).
#pragma once

#include <cstdint>

#include "euclid/euclid.h"

namespace euclid {

constexpr int kMxBlockValues = 32;     // MXFP8, MXFP4
constexpr int kNvfp4BlockValues = 16;  // NVFP4
constexpr float kE2m1Max = 6.0f;

struct Mxfp8Block {
    uint8_t scale;  // E8M0: 2^(scale - 127); 0xFF is NaN
    uint8_t q[32];  // E4M3 ("fn")
};
struct Mxfp4Block {
    uint8_t scale;  // E8M0
    uint8_t q[16];  // 32 E2M1 codes
};
struct Nvfp4Block {
    uint8_t scale;  // E4M3 ("fn"), positive
    uint8_t q[8];   // 16 E2M1 codes
};
static_assert(sizeof(Mxfp8Block) == 33, "MXFP8: 8.25 bits per weight");
static_assert(sizeof(Mxfp4Block) == 17, "MXFP4: 4.25 bits per weight");
static_assert(sizeof(Nvfp4Block) == 9, "NVFP4: 4.5 bits per weight (plus one FP32 per tensor)");

constexpr bool weight_type_blocked(int32_t type) {
    return type == WEIGHTS_NVFP4 || type == WEIGHTS_MXFP4 || type == WEIGHTS_MXFP8;
}

constexpr int64_t block_values(int32_t type) { return type == WEIGHTS_NVFP4 ? kNvfp4BlockValues : kMxBlockValues; }

constexpr int64_t block_bytes(int32_t type) {
    return type == WEIGHTS_NVFP4 ? int64_t(sizeof(Nvfp4Block))
                                 : type == WEIGHTS_MXFP4 ? int64_t(sizeof(Mxfp4Block)) : int64_t(sizeof(Mxfp8Block));
}

// Decoding tables, built at compile time: E2M1 codes, and E4M3 / E8M0 bytes, as floats.
struct MxTables {
    float e2m1[16] = {};
    float e4m3[256] = {};
    float e8m0[256] = {};

    constexpr MxTables() {
        const float magnitudes[8] = {0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f, 6.0f};
        for (int c = 0; c < 16; ++c) e2m1[c] = c < 8 ? magnitudes[c] : -magnitudes[c - 8];
        for (int b = 0; b < 256; ++b) {
            const int exp = (b >> 3) & 0xF, mant = b & 7;
            // value = (exp ? 8 + mant : mant) * 2^(max(exp, 1) - 10)
            float v = static_cast<float>(exp ? 8 + mant : mant);
            for (int e = exp > 0 ? exp : 1; e < 10; ++e) v *= 0.5f;
            for (int e = 10; e < exp; ++e) v *= 2.0f;
            if ((b & 0x7F) == 0x7F) v = __builtin_nanf("");
            e4m3[b] = (b & 0x80) ? -v : v;
            float p = 1.0f;  // 2^(b - 127), exact down to 2^-127 (an FP32 subnormal); 0xFF is NaN
            for (int e = 127; e > b; --e) p *= 0.5f;
            for (int e = 127; e < b && b < 0xFF; ++e) p *= 2.0f;
            e8m0[b] = b == 0xFF ? __builtin_nanf("") : p;
        }
    }
};

inline constexpr MxTables kMxTables{};

// Element k of a row of a blocked `type`: code value x block scale, exact (NVFP4's
// tensor scale not applied).
inline float mx_weight_at(int32_t type, const uint8_t* row, int64_t k) {
    const uint8_t* b = row + k / block_values(type) * block_bytes(type);
    const int64_t i = k % block_values(type);
    if (type == WEIGHTS_MXFP8) return kMxTables.e4m3[b[1 + i]] * kMxTables.e8m0[b[0]];
    const float scale = type == WEIGHTS_NVFP4 ? kMxTables.e4m3[b[0]] : kMxTables.e8m0[b[0]];
    return kMxTables.e2m1[(b[1 + i / 2] >> (4 * (i & 1))) & 0xF] * scale;
}

}  // namespace euclid
