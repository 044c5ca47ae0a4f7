#include "kernels/cpu/Vnni16.h"

#include <cstring>

namespace euclid::kernels {

void repack_vnni16(const Matrix& w, uint8_t* out) {
    const int64_t blocks = vnni16_blocks(w.cols), row_bytes = weight_row_bytes(w.type, w.cols);
    std::memset(out, 128, static_cast<size_t>(vnni16_bytes(w.rows, w.cols)));
    for (int64_t r = 0; r < w.rows; ++r) {
        const int64_t g = r / kVnniRows, i = r % kVnniRows;
        const uint8_t* row = w.data + r * row_bytes;
        for (int64_t k = 0; k < w.cols; ++k) {
            const int64_t b = k / 32, q = (k % 32) / 4, e = k % 4;
            out[((g * blocks + b) * 8 + q) * 64 + 4 * i + e] = static_cast<uint8_t>(row[k] ^ 0x80);
        }
    }
}

}  // namespace euclid::kernels
