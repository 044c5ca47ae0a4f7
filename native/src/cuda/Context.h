// One GPU as the CUDA backend uses it: the device's primary context and the
// one stream every copy and kernel of an engine runs on, in order (the host
// waits only at the end of a step, for the logits), and device memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "cuda/Driver.h"

namespace euclid::cuda {

class Context {
public:
    // Throws std::runtime_error naming the reason when the device cannot be used.
    explicit Context(int device);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    const Driver& driver() const { return driver_; }
    CUstream stream() const { return stream_; }
    // "cuda:0 (NVIDIA L4)"
    const std::string& name() const { return name_; }
    CUcontext handle() const { return context_; }

    // Binds the context to the calling thread (the engine thread, or whichever frees memory).
    void make_current() const;
    void check(CUresult r, const char* what) const { cuda::check(driver_, r, what); }
    void synchronize() const;

    // Host-to-device and device-to-host copies on the stream; a copy to the host
    // is complete after synchronize().
    void upload(CUdeviceptr dst, const void* src, int64_t bytes) const;
    void download(void* dst, CUdeviceptr src, int64_t bytes) const;

private:
    const Driver& driver_;
    CUdevice device_ = 0;
    CUcontext context_ = nullptr;
    CUstream stream_ = nullptr;
    std::string name_;
};

// Device memory, freed when the buffer goes; running out of it throws a
// std::runtime_error that says how much was asked and how much is free. A
// buffer keeps its context alive: the KV cache and the workspace may be freed
// after the model (a dropped engine's parts are cleaned in any order).
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    DeviceBuffer(std::shared_ptr<const Context> context, int64_t bytes, const char* what);
    ~DeviceBuffer();
    DeviceBuffer(DeviceBuffer&& o) noexcept;
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    CUdeviceptr address() const { return address_; }
    int64_t bytes() const { return bytes_; }

private:
    void release() noexcept;

    std::shared_ptr<const Context> context_;
    CUdeviceptr address_ = 0;
    int64_t bytes_ = 0;
};

}  // namespace euclid::cuda
