#include "cuda/Context.h"

#include <stdexcept>
#include <utility>

namespace euclid::cuda {

Context::Context(int device) : driver_(cuda::driver()) {
    check(driver_.cuInit(0), "cuInit");
    int count = 0;
    check(driver_.cuDeviceGetCount(&count), "cuDeviceGetCount");
    if (device < 0 || device >= count) {
        throw std::runtime_error("no CUDA device " + std::to_string(device) + " (this machine has " + std::to_string(count) + ")");
    }
    check(driver_.cuDeviceGet(&device_, device), "cuDeviceGet");
    char name[256] = {};
    check(driver_.cuDeviceGetName(name, sizeof(name) - 1, device_), "cuDeviceGetName");
    name_ = "cuda:" + std::to_string(device) + " (" + name + ")";
    check(driver_.cuDevicePrimaryCtxRetain(&context_, device_), "cuDevicePrimaryCtxRetain");
    try {
        make_current();
        check(driver_.cuStreamCreate(&stream_, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
    } catch (...) {
        driver_.cuDevicePrimaryCtxRelease(device_);
        throw;
    }
}

// Teardown ignores errors: a destructor must not throw, and a failed step's sticky error
// would otherwise keep the memory of a closed engine from being given back.
Context::~Context() {
    driver_.cuCtxSetCurrent(context_);
    driver_.cuStreamDestroy(stream_);
    driver_.cuDevicePrimaryCtxRelease(device_);
}

void Context::make_current() const { check(driver_.cuCtxSetCurrent(context_), "cuCtxSetCurrent"); }

void Context::synchronize() const { check(driver_.cuStreamSynchronize(stream_), "a CUDA step"); }

void Context::upload(CUdeviceptr dst, const void* src, int64_t bytes) const {
    if (bytes > 0) check(driver_.cuMemcpyHtoDAsync(dst, src, static_cast<size_t>(bytes), stream_), "copy to the GPU");
}

void Context::download(void* dst, CUdeviceptr src, int64_t bytes) const {
    if (bytes > 0) check(driver_.cuMemcpyDtoHAsync(dst, src, static_cast<size_t>(bytes), stream_), "copy from the GPU");
}

DeviceBuffer::DeviceBuffer(std::shared_ptr<const Context> c, int64_t bytes, const char* what)
    : context_(std::move(c)), bytes_(bytes) {
    if (bytes <= 0) throw std::invalid_argument(std::string(what) + ": " + std::to_string(bytes) + " bytes of device memory");
    const Context& context = *context_;
    context.make_current();
    const CUresult r = context.driver().cuMemAlloc(&address_, static_cast<size_t>(bytes));
    if (r == CUDA_SUCCESS) return;
    size_t free = 0, total = 0;
    context.driver().cuMemGetInfo(&free, &total);
    address_ = 0;
    throw std::runtime_error(context.name() + " is out of memory: " + what + " needs " + std::to_string(bytes) + " bytes, " +
                             std::to_string(free) + " of " + std::to_string(total) + " are free (CUDA error " +
                             std::to_string(r) + ")");
}

DeviceBuffer::~DeviceBuffer() { release(); }

DeviceBuffer::DeviceBuffer(DeviceBuffer&& o) noexcept
    : context_(std::move(o.context_)), address_(std::exchange(o.address_, 0)), bytes_(std::exchange(o.bytes_, 0)) {}

DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
    if (this != &o) {
        release();
        context_ = std::move(o.context_);
        address_ = std::exchange(o.address_, 0);
        bytes_ = std::exchange(o.bytes_, 0);
    }
    return *this;
}

void DeviceBuffer::release() noexcept {
    if (!address_) return;
    // Freeing must not throw; a failure leaves the memory to the context's teardown.
    if (context_->driver().cuCtxSetCurrent(context_->handle()) == CUDA_SUCCESS) context_->driver().cuMemFree(address_);
    address_ = 0;
}

}  // namespace euclid::cuda
