#include "cuda/Driver.h"

#include <dlfcn.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace euclid::cuda {

namespace {

template <typename F>
bool resolve(void* handle, const char* name, F& out, std::string* error) {
    out = reinterpret_cast<F>(dlsym(handle, name));
    if (!out && error) *error = std::string("no ") + name;
    return out != nullptr;
}

bool resolve_all(Driver& d, std::string* error) {
    void* h = d.handle;
    return resolve(h, "cuInit", d.cuInit, error) && resolve(h, "cuDriverGetVersion", d.cuDriverGetVersion, error) &&
           resolve(h, "cuDeviceGetCount", d.cuDeviceGetCount, error) && resolve(h, "cuDeviceGet", d.cuDeviceGet, error) &&
           resolve(h, "cuDeviceGetName", d.cuDeviceGetName, error) &&
           resolve(h, "cuGetErrorString", d.cuGetErrorString, error) &&
           resolve(h, "cuDevicePrimaryCtxRetain", d.cuDevicePrimaryCtxRetain, error) &&
           resolve(h, "cuDevicePrimaryCtxRelease_v2", d.cuDevicePrimaryCtxRelease, error) &&
           resolve(h, "cuCtxSetCurrent", d.cuCtxSetCurrent, error) && resolve(h, "cuMemGetInfo_v2", d.cuMemGetInfo, error) &&
           resolve(h, "cuMemAlloc_v2", d.cuMemAlloc, error) && resolve(h, "cuMemFree_v2", d.cuMemFree, error) &&
           resolve(h, "cuMemcpyHtoDAsync_v2", d.cuMemcpyHtoDAsync, error) &&
           resolve(h, "cuMemcpyDtoHAsync_v2", d.cuMemcpyDtoHAsync, error) &&
           resolve(h, "cuMemcpyDtoDAsync_v2", d.cuMemcpyDtoDAsync, error) &&
           resolve(h, "cuStreamCreate", d.cuStreamCreate, error) &&
           resolve(h, "cuStreamDestroy_v2", d.cuStreamDestroy, error) &&
           resolve(h, "cuStreamSynchronize", d.cuStreamSynchronize, error) &&
           resolve(h, "cuModuleLoadData", d.cuModuleLoadData, error) && resolve(h, "cuModuleUnload", d.cuModuleUnload, error) &&
           resolve(h, "cuModuleGetFunction", d.cuModuleGetFunction, error) &&
           resolve(h, "cuLaunchKernel", d.cuLaunchKernel, error) &&
           resolve(h, "cuStreamBeginCapture_v2", d.cuStreamBeginCapture, error) &&
           resolve(h, "cuStreamEndCapture", d.cuStreamEndCapture, error) &&
           resolve(h, "cuGraphInstantiateWithFlags", d.cuGraphInstantiateWithFlags, error) &&
           resolve(h, "cuGraphLaunch", d.cuGraphLaunch, error) && resolve(h, "cuGraphExecDestroy", d.cuGraphExecDestroy, error) &&
           resolve(h, "cuGraphDestroy", d.cuGraphDestroy, error);
}

}  // namespace

const Driver* open_driver(const char* library, std::string* error) {
    static std::mutex mutex;
    static std::map<std::string, Driver> drivers;  // only libraries that resolved completely
    std::lock_guard<std::mutex> lock(mutex);
    auto it = drivers.find(library);
    if (it != drivers.end()) return &it->second;
    Driver d;
    d.handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!d.handle) {
        const char* message = dlerror();
        if (error) *error = message ? message : "dlopen failed";
        return nullptr;
    }
    if (!resolve_all(d, error)) {
        dlclose(d.handle);  // never initialised: nothing of it ran
        return nullptr;
    }
    return &drivers.emplace(library, d).first->second;
}

const Driver& driver() {
    std::string error;
    const Driver* d = open_driver("libcuda.so.1", &error);
    if (!d) throw std::runtime_error("no usable CUDA driver (libcuda.so.1: " + error + ")");
    return *d;
}

void check(const Driver& d, CUresult r, const char* what) {
    if (r == CUDA_SUCCESS) return;
    const char* message = nullptr;
    if (d.cuGetErrorString(r, &message) != CUDA_SUCCESS || !message) message = "unknown error";
    throw std::runtime_error(std::string(what) + " failed: CUDA error " + std::to_string(r) + " (" + message + ")");
}

}  // namespace euclid::cuda
