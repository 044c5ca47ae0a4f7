// A read-only memory mapping of a whole file, unmapped on destruction.
#pragma once

#include <cstdint>
#include <string>

namespace euclid {

class MappedFile {
public:
    explicit MappedFile(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const uint8_t* data() const { return data_; }
    int64_t size() const { return size_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    const uint8_t* data_ = nullptr;
    int64_t size_ = 0;
};

}  // namespace euclid
