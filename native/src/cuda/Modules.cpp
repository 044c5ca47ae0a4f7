#include "cuda/Modules.h"

#include <stdexcept>
#include <string>

namespace euclid::cuda {

Kernels::Kernels(const Context& context) : context_(context) {
    if (kFatbinCount > int(sizeof(modules_) / sizeof(modules_[0]))) throw std::logic_error("more CUDA modules than slots");
    context.make_current();
    try {
        for (int i = 0; i < kFatbinCount; ++i) {
            // Fails on a GPU none of the fatbin's SASS or PTX targets (e.g. sm_70): the message says so.
            context.check(context.driver().cuModuleLoadData(&modules_[i], kFatbins[i].begin),
                          (std::string("loading the CUDA kernels of ") + kFatbins[i].name).c_str());
            n_modules_ = i + 1;
        }
        rmsnorm = find("euclid_rmsnorm");
        rope = find("euclid_rope");
        swiglu = find("euclid_swiglu");
        add = find("euclid_add");
        embed = find("euclid_embed");
        matmul = find("euclid_matmul");
        kv_store = find("euclid_kv_store");
        attention = find("euclid_attention");
    } catch (...) {
        for (int i = 0; i < n_modules_; ++i) context.driver().cuModuleUnload(modules_[i]);
        throw;
    }
}

Kernels::~Kernels() {
    context_.driver().cuCtxSetCurrent(context_.handle());
    for (int i = 0; i < n_modules_; ++i) context_.driver().cuModuleUnload(modules_[i]);
}

CUfunction Kernels::find(const char* name) const {
    for (int i = 0; i < n_modules_; ++i) {
        CUfunction f = nullptr;
        if (context_.driver().cuModuleGetFunction(&f, modules_[i], name) == CUDA_SUCCESS) return f;
    }
    throw std::logic_error(std::string("CUDA kernel ") + name + " is not in the embedded modules");
}

}  // namespace euclid::cuda
