#include "io/Checksum.h"

#include <nmmintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "runtime/ThreadPool.h"

namespace euclid {

namespace {

constexpr int64_t kChunk = int64_t(1) << 20;

uint32_t crc32c_table(uint32_t crc, const uint8_t* data, int64_t n) {
    static const auto table = [] {
        std::vector<uint32_t> t(256);
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1) ? 0x82F63B78u : 0u);
            t[i] = c;
        }
        return t;
    }();
    for (int64_t i = 0; i < n; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

__attribute__((target("sse4.2"))) uint32_t crc32c_hw(uint32_t crc, const uint8_t* data, int64_t n) {
    uint64_t c = crc;
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        std::memcpy(&v, data + i, 8);
        c = _mm_crc32_u64(c, v);
    }
    uint32_t c32 = static_cast<uint32_t>(c);
    for (; i < n; ++i) c32 = _mm_crc32_u8(c32, data[i]);
    return c32;
}

}  // namespace

uint32_t crc32c(uint32_t crc, const uint8_t* data, int64_t n) {
    static const bool hw = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("sse4.2");
    }();
    crc = ~crc;
    crc = hw ? crc32c_hw(crc, data, n) : crc32c_table(crc, data, n);
    return ~crc;
}

uint32_t chunked_checksum(ThreadPool& pool, const uint8_t* data, int64_t n) {
    const int64_t chunks = (n + kChunk - 1) / kChunk;
    std::vector<uint32_t> crcs(static_cast<size_t>(chunks));
    pool.parallel_for(chunks, [&](int, int64_t begin, int64_t end) {
        for (int64_t c = begin; c < end; ++c) {
            const int64_t off = c * kChunk;
            crcs[c] = crc32c(0, data + off, std::min(kChunk, n - off));
        }
    });
    std::vector<uint8_t> le(crcs.size() * 4);
    for (size_t i = 0; i < crcs.size(); ++i) {
        for (int b = 0; b < 4; ++b) le[4 * i + b] = static_cast<uint8_t>(crcs[i] >> (8 * b));
    }
    return crc32c(0, le.data(), static_cast<int64_t>(le.size()));
}

}  // namespace euclid
