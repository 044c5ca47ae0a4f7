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

int64_t dtype_size(int32_t dtype) {
    switch (dtype) {
        case DTYPE_F32: return 4;
        case DTYPE_F16: return 2;
        case DTYPE_BF16: return 2;
        default: throw std::invalid_argument("unknown tensor dtype code " + std::to_string(dtype));
    }
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

void read_tensor(const std::string& path, int32_t dtype, int64_t offset, int64_t nbytes, int64_t count,
                 float* dst) {
    const int64_t esize = dtype_size(dtype);
    if (offset < 0 || nbytes < 0 || count < 0) fail(path, "negative tensor offset or size");
    if (count > INT64_MAX / esize || count * esize != nbytes) {
        fail(path, "tensor holds " + std::to_string(nbytes) + " bytes but its shape needs " +
                       std::to_string(count) + " elements of " + std::to_string(esize) + " bytes");
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
    // Read in bounded chunks so conversion needs no second full-size buffer.
    constexpr int64_t kChunk = 1 << 20;
    std::vector<unsigned char> buf(static_cast<size_t>(std::min<int64_t>(kChunk, nbytes) + 1));
    int64_t done = 0;
    while (done < nbytes) {
        const int64_t want = std::min<int64_t>(kChunk, nbytes - done);
        int64_t got = 0;
        while (got < want) {
            const ssize_t r = ::pread(f.fd, buf.data() + got, static_cast<size_t>(want - got), offset + done + got);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) fail(path, "read failed at offset " + std::to_string(offset + done + got));
            got += r;
        }
        const int64_t first = done / esize, elems = want / esize;
        if (dtype == DTYPE_F32) {
            std::memcpy(dst + first, buf.data(), static_cast<size_t>(want));
        } else {
            for (int64_t i = 0; i < elems; ++i) {
                uint16_t h;
                std::memcpy(&h, buf.data() + 2 * i, 2);
                dst[first + i] = dtype == DTYPE_F16 ? half_to_float(h) : bf16_to_float(h);
            }
        }
        done += want;
    }
}

}  // namespace euclid
