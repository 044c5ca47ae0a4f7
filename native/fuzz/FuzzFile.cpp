#include "FuzzFile.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace euclid_fuzz {

FuzzFile::FuzzFile(const uint8_t* data, size_t size) {
    fd_ = ::memfd_create("euclid-fuzz", MFD_CLOEXEC);
    if (fd_ < 0) {
        std::perror("memfd_create");
        std::abort();  // a harness failure, not a finding: stop loudly
    }
    size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd_, data + done, size - done);
        if (n <= 0) {
            std::perror("write to memfd");
            std::abort();
        }
        done += static_cast<size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
}

FuzzFile::~FuzzFile() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace euclid_fuzz
