// Reads tensor bytes from a checkpoint file into float buffers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace euclid {

// Bytes that `count` elements of a source dtype (DType from euclid.h) occupy;
// throws on an unknown dtype or a count that is not a whole number of blocks.
int64_t source_bytes(int32_t dtype, int64_t count);

// Reads `count` elements of `dtype` from `path` at [offset, offset + nbytes)
// into dst as float. Checks, before reading anything, that the range lies
// inside the file and that nbytes == source_bytes(dtype, count).
void read_tensor(const std::string& path, int32_t dtype, int64_t offset, int64_t nbytes, int64_t count,
                 float* dst);

// The same checks, then the raw bytes in chunks of whole blocks: sink(bytes, n, offset of them in the tensor).
void read_blocks(const std::string& path, int32_t dtype, int64_t offset, int64_t nbytes, int64_t count,
                 const std::function<void(const unsigned char*, int64_t, int64_t)>& sink);

// IEEE half / bfloat16 bits to float.
float half_to_float(uint16_t h);
float bf16_to_float(uint16_t h);

}  // namespace euclid
