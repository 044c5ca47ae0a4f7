// A whole file's bytes in memory, read-only, in one of two places: the OS's mapping of the file
// (the page cache's own pages, shared with every process that maps the file, in 4 KiB pages) or a
// private copy in this process's huge pages (NativeMemory.h), which the kernels stream faster. An
// engine file's weights are read in place from whichever the caller chose.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/NativeMemory.h"

namespace euclid {

class ThreadPool;

class FileImage {
public:
    // Maps `path`.
    static std::unique_ptr<FileImage> map(const std::string& path);
    // Reads `path` into a private buffer, in pieces on the pool's threads.
    static std::unique_ptr<FileImage> read(const std::string& path, ThreadPool& pool);

    ~FileImage();
    FileImage(const FileImage&) = delete;
    FileImage& operator=(const FileImage&) = delete;

    const uint8_t* data() const { return data_; }
    int64_t size() const { return size_; }
    const std::string& path() const { return path_; }

private:
    explicit FileImage(std::string path) : path_(std::move(path)) {}

    std::string path_;
    const uint8_t* data_ = nullptr;
    int64_t size_ = 0;
    bool mapped_ = false;  // else data_ is copy_'s
    TrackedBuffer<uint8_t> copy_;
};

}  // namespace euclid
