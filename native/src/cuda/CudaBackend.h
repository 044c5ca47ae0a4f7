// The CUDA backend (backend/Backend.h): weights, KV pool and activations in
// device memory, kernels from kernels/*.cu, logits copied back for the sampler.
#pragma once

#include <cstdint>
#include <memory>

#include "backend/Backend.h"

namespace euclid::cuda {

// Uploads the finished model's weights to CUDA device `device`. Throws
// std::runtime_error (no driver, no such device, out of memory) or
// std::invalid_argument (a model the kernels do not cover yet) saying why.
std::unique_ptr<Backend> cuda_backend(const Model& model, int device);

// euclid.h's cuda_copy_bandwidth: device-to-device copies on the device's stream, timed on the host
// around a synchronisation, counting bytes read and written.
double copy_bandwidth(int device, int64_t bytes);

}  // namespace euclid::cuda
