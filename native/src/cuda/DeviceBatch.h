// The ragged batch of a step (model/Forward.h's Batch) packed into one array of
// ints and copied to the GPU in one transfer, with every optional array filled
// in (slots = positions, prefix = position + 1, no hole, no ancestors) so the
// kernels have one case. Each token gets the entries of its block table that
// its slots reach; tokens of one sequence share them.
#pragma once

#include <vector>

#include "cuda/Context.h"
#include "cuda/KernelParams.h"

namespace euclid {
struct Batch;
}

namespace euclid::cuda {

class DeviceBatch {
public:
    // Packs and uploads `b` (block_tokens: the pool's); the arrays are valid on the
    // stream from here on, until the next upload.
    void upload(const std::shared_ptr<const Context>& context, const Batch& b, int32_t block_tokens);

    const BatchArrays& arrays() const { return arrays_; }
    CUdeviceptr logit_rows() const { return logit_rows_; }

private:
    std::vector<int32_t> host_;  // grows to the largest step, then is reused
    DeviceBuffer device_;
    BatchArrays arrays_{};
    CUdeviceptr logit_rows_ = 0;
};

}  // namespace euclid::cuda
