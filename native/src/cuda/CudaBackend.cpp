#include "cuda/CudaBackend.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "cuda/Context.h"
#include "cuda/DeviceBatch.h"
#include "cuda/DeviceWeights.h"
#include "cuda/Modules.h"
#include "cuda/StepGraph.h"
#include "kv/KvCache.h"
#include "model/Forward.h"
#include "model/Model.h"
#include "model/Workspace.h"

namespace euclid::cuda {

namespace {

// The attention kernel's block covers head_dim up to twice its 128 threads.
constexpr int32_t kMaxHeadDim = 256;
constexpr unsigned kThreads = 256;

// The KV pool in device memory.
class DevicePool final : public DeviceMemory {
public:
    DevicePool(const std::shared_ptr<const Context>& context, int64_t bytes)
        : context_(context), buffer_(context, bytes, "the KV cache") {}

    void copy_within(int64_t dst, int64_t src, int64_t bytes) override {
        context_->make_current();
        context_->check(context_->driver().cuMemcpyDtoDAsync(buffer_.address() + dst, buffer_.address() + src,
                                                             static_cast<size_t>(bytes), context_->stream()),
                        "a KV copy on the GPU");
    }

    CUdeviceptr address() const { return buffer_.address(); }

private:
    std::shared_ptr<const Context> context_;
    DeviceBuffer buffer_;
};

// A workspace's activations on the GPU, [token][width] as in model/Workspace.h.
struct Scratch final : BackendScratch {
    Scratch(const std::shared_ptr<const Context>& c, const Model& m, int32_t max_chunk)
        : x(c, bytes(max_chunk, m.config().dim), "activations"),
          xb(c, bytes(max_chunk, m.config().dim), "activations"),
          q(c, bytes(max_chunk, m.q_dim()), "activations"),
          k(c, bytes(max_chunk, m.kv_dim()), "activations"),
          v(c, bytes(max_chunk, m.kv_dim()), "activations"),
          att(c, bytes(max_chunk, m.q_dim()), "activations"),
          hb(c, bytes(max_chunk, m.config().hidden_dim), "activations"),
          hb2(c, bytes(max_chunk, m.config().hidden_dim), "activations"),
          logits(c, bytes(max_chunk, m.config().vocab_size), "logits"),
          graph(c) {}

    static int64_t bytes(int64_t rows, int64_t width) { return rows * width * 4; }

    DeviceBuffer x, xb, q, k, v, att, hb, hb2, logits;
    DeviceBatch batch;
    StepGraph graph;
};

template <typename... A>
void launch(const Context& c, CUfunction f, unsigned gx, unsigned gy, unsigned block, A... args) {
    void* params[] = {static_cast<void*>(&args)...};
    c.check(c.driver().cuLaunchKernel(f, gx, gy, 1, block, 1, 1, 0, c.stream(), params, nullptr), "a CUDA kernel launch");
}

// Blocks for a grid-stride loop over `size` elements.
unsigned blocks_for(int64_t size) { return static_cast<unsigned>(std::clamp<int64_t>((size + kThreads - 1) / kThreads, 1, 4096)); }

class CudaBackend final : public Backend {
public:
    CudaBackend(const Model& model, int device)
        : context_(std::make_shared<const Context>(device)), kernels_(*context_), weights_(upload_weights(context_, model)) {}

    const char* name() const override { return context_->name().c_str(); }

    std::unique_ptr<DeviceMemory> allocate_kv(int64_t bytes) const override {
        return std::make_unique<DevicePool>(context_, bytes);
    }

    int64_t free_device_bytes() const override {
        context_->make_current();
        size_t free = 0, total = 0;
        context_->check(context_->driver().cuMemGetInfo(&free, &total), "cuMemGetInfo");
        return static_cast<int64_t>(free);
    }

    std::unique_ptr<BackendScratch> create_scratch(const Model& model, int32_t max_chunk) const override {
        return std::make_unique<Scratch>(context_, model, max_chunk);
    }

    void forward(const Model& model, KvCache& kv, Workspace& ws, const Batch& b, float* logits) const override;

private:
    // The step's kernels, from the embedding to the head's logits in s.logits.
    void enqueue(const Model& model, Scratch& s, KvLayout layout, int32_t n_logits) const;

    void matmul(CUdeviceptr out, CUdeviceptr x, const DeviceMatrix& w, CUdeviceptr bias, int32_t n) const {
        const MatmulArgs a{out, x, bias, w, n};
        const unsigned rows_per_block = kThreads / 32;
        launch(*context_, kernels_.matmul, static_cast<unsigned>((w.rows + rows_per_block - 1) / rows_per_block),
               static_cast<unsigned>((n + 7) / 8), kThreads, a);
    }

    void rmsnorm(CUdeviceptr out, CUdeviceptr x, CUdeviceptr w, CUdeviceptr rows, int32_t n, int32_t dim, float eps) const {
        launch(*context_, kernels_.rmsnorm, static_cast<unsigned>(n), 1, kThreads, out, x, w, rows, dim, eps);
    }

    void add(CUdeviceptr x, CUdeviceptr y, int64_t size) const {
        launch(*context_, kernels_.add, blocks_for(size), 1, kThreads, x, y, size);
    }

    std::shared_ptr<const Context> context_;  // shared with every DeviceBuffer
    Kernels kernels_;
    DeviceWeights weights_;
};

void CudaBackend::forward(const Model& model, KvCache& kv, Workspace& ws, const Batch& b, float* logits) const {
    if (model.activations() != ACTIVATIONS_FP32) {
        throw std::invalid_argument("int8 activations run on the CPU only; the CUDA backend takes FP32 activations");
    }
    if (!ws.backend_scratch || !kv.device_pool()) {
        throw std::logic_error("a KV cache or workspace made before the model moved to the GPU");
    }
    context_->make_current();
    const ModelConfig& c = model.config();
    Scratch& s = static_cast<Scratch&>(*ws.backend_scratch);
    const auto& pool = static_cast<const DevicePool&>(*kv.device_pool());
    s.batch.upload(context_, b, kv.block_tokens());
    const KvLayout layout{pool.address(), kv.block_bytes(), kv.row_bytes(), kv.block_tokens(), kv.dtype(),
                          static_cast<int32_t>(model.kv_dim()), c.head_dim, c.n_kv_heads, 0};
    const StepGraph::Key key{s.batch.arrays(), s.batch.logit_rows(), pool.address(), b.n_logits, kv.dtype(), kv.block_bytes()};
    s.graph.run(key, [&] { enqueue(model, s, layout, b.n_logits); });
    // The logits for the sampler, the final hidden states of the same rows for the drafter.
    context_->download(logits, s.logits.address(), int64_t(b.n_logits) * c.vocab_size * 4);
    context_->download(ws.xb.data(), s.xb.address(), int64_t(b.n_logits) * c.dim * 4);
    context_->synchronize();
}

void CudaBackend::enqueue(const Model& model, Scratch& s, KvLayout layout, int32_t n_logits) const {
    const ModelConfig& c = model.config();
    const BatchArrays& ba = s.batch.arrays();
    const int32_t n = ba.n, dim = c.dim;
    const int64_t q_dim = model.q_dim(), kv_dim = model.kv_dim(), hidden = c.hidden_dim;
    const float scale = 1.0f / std::sqrt(static_cast<float>(c.head_dim));
    const int32_t half = c.rope_layout == ROPE_HALF ? 1 : 0;
    launch(*context_, kernels_.embed, static_cast<unsigned>(n), 1, kThreads, s.x.address(), weights_.tok_embeddings, ba.tokens);
    for (int32_t l = 0; l < c.n_layers; ++l) {
        const DeviceLayer& w = weights_.layers[l];
        rmsnorm(s.xb.address(), s.x.address(), w.attention_norm, 0, n, dim, c.rms_eps);
        matmul(s.q.address(), s.xb.address(), w.wq, w.bq, n);
        matmul(s.k.address(), s.xb.address(), w.wk, w.bk, n);
        matmul(s.v.address(), s.xb.address(), w.wv, w.bv, n);
        launch(*context_, kernels_.rope, static_cast<unsigned>(n), 1, 128u, s.q.address(), q_dim, ba.positions,
               weights_.rope_inv_freq, c.n_heads, c.head_dim, c.rope_attention_factor, half);
        launch(*context_, kernels_.rope, static_cast<unsigned>(n), 1, 128u, s.k.address(), kv_dim, ba.positions,
               weights_.rope_inv_freq, c.n_kv_heads, c.head_dim, c.rope_attention_factor, half);
        layout.layer = l;
        launch(*context_, kernels_.kv_store, static_cast<unsigned>(n), static_cast<unsigned>(c.n_kv_heads), 128u, layout, ba,
               s.k.address(), s.v.address());
        launch(*context_, kernels_.attention, static_cast<unsigned>(n), static_cast<unsigned>(c.n_heads), 128u,
               s.att.address(), s.q.address(), layout, ba, c.n_heads, scale);
        matmul(s.xb.address(), s.att.address(), w.wo, w.bo, n);
        add(s.x.address(), s.xb.address(), int64_t(n) * dim);
        rmsnorm(s.xb.address(), s.x.address(), w.ffn_norm, 0, n, dim, c.rms_eps);
        matmul(s.hb.address(), s.xb.address(), w.w1, 0, n);
        matmul(s.hb2.address(), s.xb.address(), w.w3, 0, n);
        launch(*context_, kernels_.swiglu, blocks_for(int64_t(n) * hidden), 1, kThreads, s.hb.address(), s.hb.address(),
               s.hb2.address(), int64_t(n) * hidden);
        matmul(s.xb.address(), s.hb.address(), w.w2, 0, n);
        add(s.x.address(), s.xb.address(), int64_t(n) * dim);
    }
    // Final norm of the rows that need logits, gathered, then the head.
    rmsnorm(s.xb.address(), s.x.address(), weights_.norm, s.batch.logit_rows(), n_logits, dim, c.rms_eps);
    matmul(s.logits.address(), s.xb.address(), weights_.output, 0, n_logits);
}

}  // namespace

double copy_bandwidth(int device, int64_t bytes) {
    const auto context = std::make_shared<const Context>(device);
    DeviceBuffer from(context, bytes, "the bandwidth test"), to(context, bytes, "the bandwidth test");
    const Driver& d = context->driver();
    double best = 0;
    for (int pass = 0; pass < 6; ++pass) {  // the first warms up
        const auto start = std::chrono::steady_clock::now();
        context->check(d.cuMemcpyDtoDAsync(to.address(), from.address(), static_cast<size_t>(bytes), context->stream()),
                       "a device-to-device copy");
        context->synchronize();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (pass > 0) best = std::max(best, 2.0 * static_cast<double>(bytes) / seconds);
    }
    return best;
}

std::unique_ptr<Backend> cuda_backend(const Model& model, int device) {
    const ModelConfig& c = model.config();
    if (c.head_dim > kMaxHeadDim || c.head_dim % 2 != 0) {
        throw std::invalid_argument("head_dim " + std::to_string(c.head_dim) + ": the CUDA kernels take even head sizes up to " +
                                    std::to_string(kMaxHeadDim));
    }
    if (model.activations() != ACTIVATIONS_FP32) {
        throw std::invalid_argument("int8 activations run on the CPU only; the CUDA backend takes FP32 activations");
    }
    if (c.rope_scaling == ROPE_SCALING_DYNAMIC) {
        throw std::invalid_argument("dynamic RoPE scaling runs on the CPU only (its frequencies change with the position)");
    }
    return std::make_unique<CudaBackend>(model, device);
}

}  // namespace euclid::cuda
