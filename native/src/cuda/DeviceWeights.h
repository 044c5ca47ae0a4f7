// A model's weights copied to the GPU once, in the formats the CUDA kernels
// read (the CPU layouts of kernels/cpu/Matrix.h, byte for byte).
#pragma once

#include <vector>

#include "cuda/Context.h"
#include "cuda/KernelParams.h"

namespace euclid {
class Model;
}

namespace euclid::cuda {

struct DeviceLayer {
    DeviceMatrix wq, wk, wv, wo, w1, w2, w3;
    CUdeviceptr attention_norm = 0, ffn_norm = 0, bq = 0, bk = 0, bv = 0, bo = 0;  // 0: no bias
};

struct DeviceWeights {
    DeviceMatrix tok_embeddings{}, output{};
    CUdeviceptr norm = 0, rope_inv_freq = 0;
    std::vector<DeviceLayer> layers;
    std::vector<DeviceBuffer> buffers;  // owns every allocation above
};

// Whether the CUDA kernels read matrices of this WeightType (F32, BF16, F16, FP8, INT8).
bool cuda_weight_type(int32_t type);

// Uploads every tensor of a finished model; a matrix shared by two names (a tied
// head) is uploaded once. Throws for a weight type the kernels do not read.
DeviceWeights upload_weights(const std::shared_ptr<const Context>& context, const Model& model);

}  // namespace euclid::cuda
