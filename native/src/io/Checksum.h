// The engine file checksum: CRC-32C of every 1 MiB chunk (in parallel), then
// CRC-32C of those chunk values in order. Hardware CRC (SSE4.2) when present.
#pragma once

#include <cstdint>

namespace euclid {

class ThreadPool;

uint32_t crc32c(uint32_t crc, const uint8_t* data, int64_t n);

uint32_t chunked_checksum(ThreadPool& pool, const uint8_t* data, int64_t n);

}  // namespace euclid
