#include "cuda/DeviceWeights.h"

#include <map>
#include <stdexcept>
#include <string>

#include "kernels/cpu/Matrix.h"
#include "model/Model.h"

namespace euclid::cuda {

bool cuda_weight_type(int32_t type) {
    return type == WEIGHTS_F32 || type == WEIGHTS_BF16 || type == WEIGHTS_F16 || type == WEIGHTS_FP8 ||
           type == WEIGHTS_INT8;
}

namespace {

// WeightType names for messages, in the enum's order (euclid.h).
const char* type_name(int32_t type) {
    static const char* const names[] = {"F32", "BF16", "F16", "FP8", "INT8", "NVFP4", "MXFP4", "MXFP8", "Q4_0", "Q4_1"};
    return type >= 0 && type < int32_t(sizeof(names) / sizeof(names[0])) ? names[type] : "unknown";
}

class Uploader {
public:
    Uploader(const std::shared_ptr<const Context>& context, DeviceWeights& out) : context_(context), out_(out) {}

    CUdeviceptr bytes(const void* host, int64_t n, const char* what) {
        if (!host) return 0;
        auto it = uploaded_.find(host);
        if (it != uploaded_.end()) return it->second;
        out_.buffers.emplace_back(context_, n, what);
        const CUdeviceptr p = out_.buffers.back().address();
        context_->upload(p, host, n);
        uploaded_.emplace(host, p);
        return p;
    }

    CUdeviceptr floats(const float* host, int64_t n, const char* what) { return bytes(host, n * 4, what); }

    DeviceMatrix matrix(const Matrix& m, const char* what) {
        if (!cuda_weight_type(m.type)) {
            throw std::invalid_argument(std::string(what) + " is stored as " + type_name(m.type) +
                                        ", which has no CUDA kernels yet (F32, BF16, F16, FP8 and INT8 have)");
        }
        DeviceMatrix d{};
        d.data = bytes(m.data, m.rows * weight_row_bytes(m.type, m.cols), what);
        d.scales = weight_type_has_scales(m.type) ? floats(m.scales, m.rows, what) : 0;
        d.rows = m.rows;
        d.cols = m.cols;
        d.type = m.type;
        return d;
    }

private:
    const std::shared_ptr<const Context>& context_;
    DeviceWeights& out_;
    std::map<const void*, CUdeviceptr> uploaded_;
};

}  // namespace

DeviceWeights upload_weights(const std::shared_ptr<const Context>& context, const Model& model) {
    const ModelConfig& c = model.config();
    DeviceWeights w;
    Uploader up(context, w);
    w.tok_embeddings = up.matrix(model.tok_embeddings, "tok_embeddings");
    w.output = up.matrix(model.output, "output");
    w.norm = up.floats(model.norm, c.dim, "norm");
    w.rope_inv_freq = up.floats(model.rope_inv_freq(), c.head_dim / 2, "RoPE frequencies");
    for (const LayerWeights& l : model.layers) {
        DeviceLayer d;
        d.wq = up.matrix(l.wq, "wq");
        d.wk = up.matrix(l.wk, "wk");
        d.wv = up.matrix(l.wv, "wv");
        d.wo = up.matrix(l.wo, "wo");
        d.w1 = up.matrix(l.w1, "w1");
        d.w2 = up.matrix(l.w2, "w2");
        d.w3 = up.matrix(l.w3, "w3");
        d.attention_norm = up.floats(l.attention_norm, c.dim, "attention_norm");
        d.ffn_norm = up.floats(l.ffn_norm, c.dim, "ffn_norm");
        d.bq = up.floats(l.bq, model.q_dim(), "bq");
        d.bk = up.floats(l.bk, model.kv_dim(), "bk");
        d.bv = up.floats(l.bv, model.kv_dim(), "bv");
        d.bo = up.floats(l.bo, c.dim, "bo");
        w.layers.push_back(d);
    }
    context->synchronize();  // the host copies may be unmapped or reused once this returns
    return w;
}

}  // namespace euclid::cuda
