// The CUDA backend (backend/Backend.h): weights, KV pool and activations in
// device memory, kernels from kernels/*.cu, logits copied back for the sampler.
#pragma once

#include <memory>

#include "backend/Backend.h"

namespace euclid::cuda {

// Uploads the finished model's weights to CUDA device `device`. Throws
// std::runtime_error (no driver, no such device, out of memory) or
// std::invalid_argument (a model the kernels do not cover yet) saying why.
std::unique_ptr<Backend> cuda_backend(const Model& model, int device);

}  // namespace euclid::cuda
