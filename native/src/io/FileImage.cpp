#include "io/FileImage.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "runtime/ThreadPool.h"

namespace euclid {

namespace {

// Each parallel read covers this much of the file: enough pieces for the pool to balance.
constexpr int64_t kReadPiece = int64_t(16) << 20;

// An open descriptor and the file's size; closes on scope exit.
struct OpenFile {
    int fd = -1;
    int64_t size = 0;

    explicit OpenFile(const std::string& path) {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            const int err = errno;
            ::close(fd);
            throw std::runtime_error(path + ": cannot stat: " + std::strerror(err));
        }
        size = st.st_size;
    }
    ~OpenFile() { ::close(fd); }
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
};

// Reads [at, at + n) of the file into dst; the errno of a failure, or EIO for a file that ended early.
int read_range(int fd, uint8_t* dst, int64_t at, int64_t n) {
    while (n > 0) {
        const ssize_t got = ::pread(fd, dst, static_cast<size_t>(std::min<int64_t>(n, int64_t(1) << 30)), at);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return errno;
        if (got == 0) return EIO;
        dst += got;
        at += got;
        n -= got;
    }
    return 0;
}

}  // namespace

std::unique_ptr<FileImage> FileImage::map(const std::string& path) {
    std::unique_ptr<FileImage> image(new FileImage(path));
    OpenFile f(path);
    if (f.size > 0) {
        void* p = ::mmap(nullptr, static_cast<size_t>(f.size), PROT_READ, MAP_PRIVATE, f.fd, 0);
        if (p == MAP_FAILED) throw std::runtime_error(path + ": cannot map: " + std::strerror(errno));
        image->data_ = static_cast<const uint8_t*>(p);
        image->size_ = f.size;
        image->mapped_ = true;
        native_bytes_add(f.size);
    }
    return image;  // the mapping stays valid without the descriptor
}

std::unique_ptr<FileImage> FileImage::read(const std::string& path, ThreadPool& pool) {
    std::unique_ptr<FileImage> image(new FileImage(path));
    OpenFile f(path);
    if (f.size == 0) return image;
    try {
        image->copy_ = make_tracked_buffer<uint8_t>(64, static_cast<size_t>(f.size));
    } catch (const std::bad_alloc&) {
        throw std::runtime_error(path + ": out of memory for a copy of its " + std::to_string(f.size) + " bytes");
    }
    uint8_t* dst = image->copy_.get();
    std::atomic<int> failure{0};
    pool.parallel_for((f.size + kReadPiece - 1) / kReadPiece, [&](int, int64_t begin, int64_t end) {
        const int64_t at = begin * kReadPiece, n = std::min(end * kReadPiece, f.size) - at;
        if (const int err = read_range(f.fd, dst + at, at, n)) failure.store(err);
    });
    if (const int err = failure.load()) throw std::runtime_error(path + ": cannot read: " + std::strerror(err));
    image->data_ = dst;
    image->size_ = f.size;
    return image;
}

FileImage::~FileImage() {
    if (mapped_) {
        ::munmap(const_cast<uint8_t*>(data_), static_cast<size_t>(size_));
        native_bytes_add(-size_);
    }
}

}  // namespace euclid
