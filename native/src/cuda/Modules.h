// The CUDA kernels, embedded in the library as one fatbin per kernels/*.cu
// (cmake/EuclidCuda.cmake generates the table) and loaded into a context
// through the driver API, so no CUDA runtime is linked.
#pragma once

#include "cuda/Context.h"

namespace euclid::cuda {

struct FatbinImage {
    const char* name;  // the .cu file's name, without extension
    const unsigned char* begin;
    const unsigned char* end;
};

extern const FatbinImage kFatbins[];
extern const int kFatbinCount;

// Every kernel of the backend, loaded into one context; unloaded with it.
class Kernels {
public:
    explicit Kernels(const Context& context);
    ~Kernels();
    Kernels(const Kernels&) = delete;
    Kernels& operator=(const Kernels&) = delete;

    CUfunction rmsnorm, rope, swiglu, add, embed, matmul, kv_store, attention;

private:
    CUfunction find(const char* name) const;

    const Context& context_;
    CUmodule modules_[16] = {};
    int n_modules_ = 0;
};

}  // namespace euclid::cuda
