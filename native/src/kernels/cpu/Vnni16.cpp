#include "kernels/cpu/Vnni16.h"

#include <cstring>

#include "io/TensorFile.h"

namespace euclid::kernels {

void repack_vnni16(const Matrix& w, uint8_t* out) {
    const int64_t blocks = vnni16_blocks(w.cols), row_bytes = weight_row_bytes(w.type, w.cols);
    const int64_t block_bytes = vnni16_block_bytes(w.type);
    std::memset(out, w.type == WEIGHTS_INT8 ? 128 : 0, static_cast<size_t>(vnni16_bytes(w.type, w.rows, w.cols)));
    for (int64_t r = 0; r < w.rows; ++r) {
        const int64_t g = r / kVnniRows, i = r % kVnniRows;
        const uint8_t* row = w.data + r * row_bytes;
        for (int64_t b = 0; b < blocks; ++b) {
            uint8_t* dst = out + (g * blocks + b) * block_bytes;
            if (w.type == WEIGHTS_INT8) {
                for (int64_t k = 32 * b; k < w.cols && k < 32 * b + 32; ++k) {
                    dst[64 * ((k % 32) / 4) + 4 * i + k % 4] = static_cast<uint8_t>(row[k] ^ 0x80);
                }
                continue;
            }
            const uint8_t* block = row + b * q4_block_bytes(w.type);
            const uint8_t* qs = block + (w.type == WEIGHTS_Q4_0 ? 2 : 4);
            for (int v = 0; v < 32; ++v) {
                const uint8_t q = v < 16 ? qs[v] & 0xF : qs[v - 16] >> 4;
                const int p = v / 4, e = v % 4;
                dst[64 * (p % 4) + 4 * i + e] |= static_cast<uint8_t>(p < 4 ? q : q << 4);
            }
            uint16_t h[2] = {0, 0};
            std::memcpy(h, block, w.type == WEIGHTS_Q4_0 ? 2 : 4);
            const float d = half_to_float(h[0]), m = half_to_float(h[1]);
            std::memcpy(dst + 256 + 4 * i, &d, 4);
            if (w.type == WEIGHTS_Q4_1) std::memcpy(dst + 320 + 4 * i, &m, 4);
        }
    }
}

}  // namespace euclid::kernels
