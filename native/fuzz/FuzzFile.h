// An in-memory file (memfd) that the readers under test open by path, so a fuzz
// iteration touches no disk and leaves nothing behind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace euclid_fuzz {

class FuzzFile {
public:
    FuzzFile(const uint8_t* data, size_t size);
    ~FuzzFile();
    FuzzFile(const FuzzFile&) = delete;
    FuzzFile& operator=(const FuzzFile&) = delete;

    // "/proc/self/fd/N": opening it opens the same in-memory file.
    const std::string& path() const { return path_; }

private:
    int fd_ = -1;
    std::string path_;
};

}  // namespace euclid_fuzz
