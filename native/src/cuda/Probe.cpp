// cuda_compiled and cuda_probe (euclid.h): compiled into every build, with or
// without nvcc, since the Java side asks before it picks a device.
#include <string>

#include "cuda/Driver.h"
#include "euclid/euclid.h"
#include "runtime/Boundary.h"

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

}  // namespace euclid
