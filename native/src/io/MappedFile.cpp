#include "io/MappedFile.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "runtime/NativeMemory.h"

namespace euclid {

MappedFile::MappedFile(const std::string& path) : path_(path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        throw std::runtime_error(path + ": cannot stat: " + std::strerror(errno));
    }
    size_ = st.st_size;
    if (size_ > 0) {
        void* p = ::mmap(nullptr, static_cast<size_t>(size_), PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            ::close(fd);
            throw std::runtime_error(path + ": cannot map: " + std::strerror(errno));
        }
        data_ = static_cast<const uint8_t*>(p);
        native_bytes_add(size_);
    }
    ::close(fd);  // the mapping stays valid without the descriptor
}

MappedFile::~MappedFile() {
    if (data_) {
        ::munmap(const_cast<uint8_t*>(data_), static_cast<size_t>(size_));
        native_bytes_add(-size_);
    }
}

}  // namespace euclid
