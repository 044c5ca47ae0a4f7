#include "io/TensorFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "euclid/euclid.h"
#include "quant/GgufBlocks.h"

namespace euclid {

namespace {

// Closes the descriptor on every exit path, including exceptions.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error(path + ": " + what);
}

}  // namespace

namespace {

// A source dtype is read in blocks: block_elems elements stored in block_bytes.
struct Blocks {
    int64_t block_elems, block_bytes;
};

Blocks blocks(int32_t dtype) {
    switch (dtype) {
        case DTYPE_F32: return {1, 4};
        case DTYPE_F16: return {1, 2};
        case DTYPE_BF16: return {1, 2};
        case DTYPE_Q8_0: return {Q8_0_BLOCK_VALUES, sizeof(Q8_0Block)};
        default: {
            const GgufBlockShape g = gguf_block_shape(dtype);
            if (g.values == 0) throw std::invalid_argument("unknown tensor dtype code " + std::to_string(dtype));
            return {g.values, g.bytes};
        }
    }
}

// Decodes `nblocks` blocks of `dtype` from src into dst.
void decode(int32_t dtype, const unsigned char* src, int64_t nblocks, float* dst) {
    switch (dtype) {
        case DTYPE_F32:
            std::memcpy(dst, src, static_cast<size_t>(nblocks) * 4);
            break;
        case DTYPE_F16:
        case DTYPE_BF16:
            for (int64_t i = 0; i < nblocks; ++i) {
                uint16_t h;
                std::memcpy(&h, src + 2 * i, 2);
                dst[i] = dtype == DTYPE_F16 ? half_to_float(h) : bf16_to_float(h);
            }
            break;
        case DTYPE_Q8_0:
            for (int64_t b = 0; b < nblocks; ++b) {
                Q8_0Block block;  // copied out: blocks of 34 bytes are not aligned in the file
                std::memcpy(&block, src + b * sizeof(Q8_0Block), sizeof(Q8_0Block));
                const float d = half_to_float(block.scale);
                for (int j = 0; j < Q8_0_BLOCK_VALUES; ++j) {
                    dst[b * Q8_0_BLOCK_VALUES + j] = d * static_cast<float>(block.values[j]);
                }
            }
            break;
        default:
            decode_gguf_blocks(dtype, src, nblocks, dst);  // an unknown dtype was rejected by blocks()
            break;
    }
}

}  // namespace

int64_t source_bytes(int32_t dtype, int64_t count) {
    const Blocks b = blocks(dtype);
    if (count < 0 || count % b.block_elems != 0) {
        throw std::invalid_argument("a tensor of " + std::to_string(count) + " elements is not a whole number of " +
                                    std::to_string(b.block_elems) + "-element blocks");
    }
    return count / b.block_elems * b.block_bytes;  // count is bounded by the model config
}

float half_to_float(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t mant = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;
    } else {  // subnormal half: normalise into a float
        exp = 113;
        while ((mant & 0x400u) == 0) {
            mant <<= 1;
            --exp;
        }
        bits = sign | (exp << 23) | ((mant & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float bf16_to_float(uint16_t h) {
    const uint32_t bits = static_cast<uint32_t>(h) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

void read_blocks(const std::string& path, int32_t dtype, int64_t offset, int64_t nbytes, int64_t count,
                 const std::function<void(const unsigned char*, int64_t, int64_t)>& sink) {
    const Blocks b = blocks(dtype);
    if (offset < 0 || nbytes < 0 || count < 0) fail(path, "negative tensor offset or size");
    if (source_bytes(dtype, count) != nbytes) {
        fail(path, "tensor holds " + std::to_string(nbytes) + " bytes but its shape needs " +
                       std::to_string(source_bytes(dtype, count)));
    }
    Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (f.fd < 0) fail(path, std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(f.fd, &st) != 0) fail(path, std::string("cannot stat: ") + std::strerror(errno));
    const int64_t size = st.st_size;
    if (offset > size || nbytes > size - offset) {
        fail(path, "tensor range [" + std::to_string(offset) + ", " + std::to_string(offset) + " + " +
                       std::to_string(nbytes) + ") lies beyond the end of the file (" + std::to_string(size) +
                       " bytes): truncated or corrupt");
    }
    // Read whole blocks in bounded chunks so conversion needs no second full-size buffer.
    const int64_t chunk = std::max<int64_t>(1, (int64_t(1) << 20) / b.block_bytes) * b.block_bytes;
    std::vector<unsigned char> buf(static_cast<size_t>(std::min(chunk, nbytes) + 1));
    int64_t done = 0;
    while (done < nbytes) {
        const int64_t want = std::min(chunk, nbytes - done);
        int64_t got = 0;
        while (got < want) {
            const ssize_t r = ::pread(f.fd, buf.data() + got, static_cast<size_t>(want - got), offset + done + got);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) fail(path, "read failed at offset " + std::to_string(offset + done + got));
            got += r;
        }
        sink(buf.data(), want, done);
        done += want;
    }
}

void read_tensor(const std::string& path, int32_t dtype, int64_t offset, int64_t nbytes, int64_t count,
                 float* dst) {
    const Blocks b = blocks(dtype);
    read_blocks(path, dtype, offset, nbytes, count, [&](const unsigned char* src, int64_t bytes, int64_t done) {
        decode(dtype, src, bytes / b.block_bytes, dst + done / b.block_bytes * b.block_elems);
    });
}

}  // namespace euclid
