// Where a model's forward pass runs: the seam below the step descriptor. The
// Java runtime, the boundary checks, the batch layout and sampling are the same
// for every backend; a backend owns the weights' copy it computes with, the KV
// pool's storage and the forward pass over a ragged batch, which leaves the
// logits (and the final-normed hidden states of the logit rows, ws.xb) in host
// memory for the sampler and the drafter.
#pragma once

#include <cstdint>
#include <memory>

namespace euclid {

class KvCache;
class Model;
class Workspace;
struct Batch;

// A KV pool kept outside host memory (device memory), owned by its KvCache.
class DeviceMemory {
public:
    virtual ~DeviceMemory() = default;
    // Copies bytes within the pool, ordered before the next forward pass.
    virtual void copy_within(int64_t dst_offset, int64_t src_offset, int64_t bytes) = 0;
};

// What a backend keeps per workspace (device activations), owned by the Workspace.
class BackendScratch {
public:
    virtual ~BackendScratch() = default;
};

class Backend {
public:
    virtual ~Backend() = default;

    // The device's name for logs and errors ("cpu", "cuda:0 (NVIDIA L4)").
    virtual const char* name() const = 0;

    // Storage for a KV pool of `bytes`, or null: the pool lives in host memory.
    virtual std::unique_ptr<DeviceMemory> allocate_kv(int64_t bytes) const = 0;

    // Bytes of device memory free now, or -1 for a backend that computes in host memory.
    virtual int64_t free_device_bytes() const = 0;

    // The backend's part of a workspace for steps of up to max_chunk tokens, or null.
    virtual std::unique_ptr<BackendScratch> create_scratch(const Model& model, int32_t max_chunk) const = 0;

    // model/Forward.h's forward(): feeds the batch and writes the logits of its
    // logit rows to logits[n_logits * vocab] (host memory).
    virtual void forward(const Model& model, KvCache& kv, Workspace& ws, const Batch& batch, float* logits) const = 0;
};

// The CPU engine (model/Forward.cpp and the kernels under kernels/cpu).
std::unique_ptr<Backend> cpu_backend();

}  // namespace euclid
