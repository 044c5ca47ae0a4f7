// The device entry points of euclid.h: what this build and the CUDA driver
// offer (compiled into every build, with or without nvcc, since the Java side
// asks before it picks a device), and moving a model onto a GPU.
#include <string>

#include "cuda/Driver.h"
#include "euclid/euclid.h"
#include "model/Model.h"
#include "runtime/Boundary.h"
#ifdef EUCLID_CUDA_COMPILED
#include "cuda/CudaBackend.h"
#endif

namespace euclid {

int32_t cuda_compiled() {
#ifdef EUCLID_CUDA_COMPILED
    return 1;
#else
    return 0;
#endif
}

std::string cuda_probe(const char* driver_library, CudaProbe& out) {
    out = CudaProbe{};
    std::string error;
    const cuda::Driver* d = cuda::open_driver(require(driver_library, "driver library"), &error);
    if (!d) return error;
    out.driver_loaded = 1;
    int version = 0;
    if (d->cuDriverGetVersion(&version) == cuda::CUDA_SUCCESS) out.driver_version = version;
    out.init_result = d->cuInit(0);
    int count = 0;
    if (out.init_result == cuda::CUDA_SUCCESS && d->cuDeviceGetCount(&count) == cuda::CUDA_SUCCESS) out.device_count = count;
    return "";
}

void model_use_cuda(Model* model, int32_t device) {
    Model* m = require(model, "model");
    ready(m);
    if (device < 0) throw std::invalid_argument("CUDA device index " + std::to_string(device) + " is negative");
#ifdef EUCLID_CUDA_COMPILED
    m->set_backend(cuda::cuda_backend(*m, device));
#else
    throw std::runtime_error("this library was built without CUDA (no nvcc when it was compiled, or -Dnative.cuda=OFF)");
#endif
}

double cuda_copy_bandwidth(int32_t device, int64_t bytes) {
    if (bytes < (1 << 20) || bytes > (int64_t(1) << 40)) {
        throw std::invalid_argument("copy size " + std::to_string(bytes) + " is outside [1 MiB, 1 TiB]");
    }
#ifdef EUCLID_CUDA_COMPILED
    return cuda::copy_bandwidth(device, bytes);
#else
    (void)device;
    throw std::runtime_error("this library was built without CUDA (no nvcc when it was compiled, or -Dnative.cuda=OFF)");
#endif
}

const char* model_device(const Model* model) { return require(model, "model")->backend().name(); }

int64_t model_device_free_bytes(const Model* model) { return require(model, "model")->backend().free_device_bytes(); }

}  // namespace euclid
