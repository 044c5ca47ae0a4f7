// Compile-time proof that cuda/Driver.h declares the driver entry points as the
// toolkit's cuda.h does (same types, same versioned symbols): built only where
// the CUDA toolkit is, and nothing in it runs.
#include <cuda.h>

#include <type_traits>

#include "cuda/Driver.h"

namespace euclid::cuda {
namespace {

// Handles are opaque pointers on both sides; results and ordinals are ints.
static_assert(sizeof(CUresult) == sizeof(::CUresult) && sizeof(CUdevice) == sizeof(::CUdevice), "driver scalar types");
static_assert(std::is_same_v<CUdeviceptr, ::CUdeviceptr>, "CUdeviceptr is the driver's 64-bit address");
static_assert(CUDA_SUCCESS == ::CUDA_SUCCESS && CU_STREAM_NON_BLOCKING == ::CU_STREAM_NON_BLOCKING, "driver constants");

template <typename Ours, typename Theirs>
struct SameShape : std::false_type {};
// Parameter lists equal after mapping our opaque handles onto the driver's: checked by argument count and
// sizes, which is what the calling convention sees.
template <typename R1, typename... A1, typename R2, typename... A2>
struct SameShape<R1 (*)(A1...), R2 (*)(A2...)>
    : std::bool_constant<sizeof(R1) == sizeof(R2) && sizeof...(A1) == sizeof...(A2) &&
                         ((sizeof(A1) == sizeof(A2) && std::is_pointer_v<A1> == std::is_pointer_v<A2>) && ...)> {};

#define EUCLID_CHECK(field, symbol) \
    static_assert(SameShape<decltype(Driver::field), decltype(&::symbol)>::value, #field " is declared unlike the driver's " #symbol)

EUCLID_CHECK(cuInit, cuInit);
EUCLID_CHECK(cuDriverGetVersion, cuDriverGetVersion);
EUCLID_CHECK(cuDeviceGetCount, cuDeviceGetCount);
EUCLID_CHECK(cuDeviceGet, cuDeviceGet);
EUCLID_CHECK(cuDeviceGetName, cuDeviceGetName);
EUCLID_CHECK(cuGetErrorString, cuGetErrorString);
EUCLID_CHECK(cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRetain);
EUCLID_CHECK(cuDevicePrimaryCtxRelease, cuDevicePrimaryCtxRelease_v2);
EUCLID_CHECK(cuCtxSetCurrent, cuCtxSetCurrent);
EUCLID_CHECK(cuMemGetInfo, cuMemGetInfo_v2);
EUCLID_CHECK(cuMemAlloc, cuMemAlloc_v2);
EUCLID_CHECK(cuMemFree, cuMemFree_v2);
EUCLID_CHECK(cuMemcpyHtoDAsync, cuMemcpyHtoDAsync_v2);
EUCLID_CHECK(cuMemcpyDtoHAsync, cuMemcpyDtoHAsync_v2);
EUCLID_CHECK(cuMemcpyDtoDAsync, cuMemcpyDtoDAsync_v2);
EUCLID_CHECK(cuStreamCreate, cuStreamCreate);
EUCLID_CHECK(cuStreamDestroy, cuStreamDestroy_v2);
EUCLID_CHECK(cuStreamSynchronize, cuStreamSynchronize);
EUCLID_CHECK(cuModuleLoadData, cuModuleLoadData);
EUCLID_CHECK(cuModuleUnload, cuModuleUnload);
EUCLID_CHECK(cuModuleGetFunction, cuModuleGetFunction);
EUCLID_CHECK(cuLaunchKernel, cuLaunchKernel);
EUCLID_CHECK(cuStreamBeginCapture, cuStreamBeginCapture_v2);
EUCLID_CHECK(cuStreamEndCapture, cuStreamEndCapture);
EUCLID_CHECK(cuGraphInstantiateWithFlags, cuGraphInstantiateWithFlags);
EUCLID_CHECK(cuGraphLaunch, cuGraphLaunch);
EUCLID_CHECK(cuGraphExecDestroy, cuGraphExecDestroy);
EUCLID_CHECK(cuGraphDestroy, cuGraphDestroy);
static_assert(CU_STREAM_CAPTURE_MODE_THREAD_LOCAL == ::CU_STREAM_CAPTURE_MODE_THREAD_LOCAL, "capture mode");

}  // namespace
}  // namespace euclid::cuda
