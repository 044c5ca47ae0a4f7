// The CPU backend: the pool and the activations stay in host memory and the
// forward pass is model/Forward.cpp's.
#include <memory>

#include "backend/Backend.h"
#include "model/Forward.h"

namespace euclid {

namespace {

class CpuBackend final : public Backend {
public:
    const char* name() const override { return "cpu"; }

    std::unique_ptr<DeviceMemory> allocate_kv(int64_t) const override { return nullptr; }

    int64_t free_device_bytes() const override { return -1; }

    std::unique_ptr<BackendScratch> create_scratch(const Model&, int32_t) const override { return nullptr; }

    void forward(const Model& model, KvCache& kv, Workspace& ws, const Batch& batch, float* logits) const override {
        euclid::forward(model, kv, ws, batch, logits);
    }
};

}  // namespace

std::unique_ptr<Backend> cpu_backend() { return std::make_unique<CpuBackend>(); }

}  // namespace euclid
