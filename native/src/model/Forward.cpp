#include "model/Forward.h"

#include <initializer_list>
#include <stdexcept>
#include <string>

#include "kernels/cpu/Kernels.h"
#include "kv/KvCache.h"
#include "model/Attention.h"
#include "model/Model.h"
#include "model/Rope.h"
#include "model/Workspace.h"
#include "quant/Quantize.h"

namespace euclid {

namespace {

// The model's matrix products, taking their input as the model is set to (euclid.h's ActivationType):
// input() names the activations the next products multiply (quantised or rounded once for all of them).
class Products {
public:
    Products(ThreadPool& pool, kernels::Int8Scratch* int8, kernels::Bf16Scratch* bf16) : pool_(pool), int8_(int8), bf16_(bf16) {}

    void input(const float* x, int64_t cols, int64_t n) {
        x_ = x;
        cols_ = cols;
        if (int8_) kernels::quantize_activations(pool_, x, cols, n, *int8_);
        if (bf16_) kernels::round_activations_bf16(pool_, x, cols, n, *bf16_);
    }

    // Each product's out = w . input (+ bias) for the input's first n rows, in one parallel loop.
    void operator()(std::initializer_list<kernels::Product> products, int64_t n) const {
        for (const auto& p : products) {
            if (p.w->cols != cols_) {
                throw std::logic_error("matrix product of " + std::to_string(p.w->cols) + " columns after an input of " + std::to_string(cols_));
            }
        }
        const int count = static_cast<int>(products.size());
        if (int8_) {
            kernels::matmul_int8(pool_, *int8_, products.begin(), count, n);
        } else if (bf16_) {
            kernels::matmul_bf16(pool_, *bf16_, products.begin(), count, n);
        } else {
            kernels::matmul(pool_, x_, products.begin(), count, n);
        }
    }

private:
    ThreadPool& pool_;
    kernels::Int8Scratch* int8_;  // null unless INT8 activations
    kernels::Bf16Scratch* bf16_;  // null unless BF16 activations
    const float* x_ = nullptr;
    int64_t cols_ = 0;
};

}  // namespace

void forward(const Model& model, KvCache& kv, Workspace& ws, const Batch& b, float* logits) {
    const ModelConfig& c = model.config();
    ThreadPool& pool = model.pool();
    const int64_t dim = c.dim, hidden = c.hidden_dim, kv_dim = model.kv_dim(), q_dim = model.q_dim();
    const bool half = c.rope_layout == ROPE_HALF;
    const int32_t bt = kv.block_tokens();
    const int32_t n = b.n;
    kernels::Int8Scratch int8{};
    kernels::Bf16Scratch bf16{};
    if (model.activations() == ACTIVATIONS_INT8) int8 = ws.int8_scratch(model);
    if (model.activations() == ACTIVATIONS_BF16) bf16 = ws.bf16_scratch(model);
    Products matmul(pool, model.activations() == ACTIVATIONS_INT8 ? &int8 : nullptr,
                    model.activations() == ACTIVATIONS_BF16 ? &bf16 : nullptr);

    const Matrix& emb = model.tok_embeddings;
    for (int32_t t = 0; t < n; ++t) dequantize_row(emb.data, emb.scales, emb.type, b.tokens[t], dim, ws.x.data() + t * dim);
    for (int l = 0; l < c.n_layers; ++l) {
        const LayerWeights& w = model.layers[l];
        for (int32_t t = 0; t < n; ++t) {
            kernels::rmsnorm(ws.xb.data() + t * dim, ws.x.data() + t * dim, w.attention_norm, dim, c.rms_eps);
        }
        matmul.input(ws.xb.data(), dim, n);
        matmul({{ws.q.data(), &w.wq, w.bq}, {ws.k.data(), &w.wk, w.bk}, {ws.v.data(), &w.wv, w.bv}}, n);
        for (int32_t t = 0; t < n; ++t) {
            const int32_t p = b.positions[t];
            const int32_t slot = b.slots ? b.slots[t] : p;
            const float* freq = model.rope_inv_freq();
            if (rope_rescales_at(c, p)) {
                rope_inv_freq(c, int64_t(p) + 1, ws.rope_freq.data());
                freq = ws.rope_freq.data();
            }
            kernels::rope(ws.q.data() + t * q_dim, c.n_heads, c.head_dim, p, freq, c.rope_attention_factor, half);
            kernels::rope(ws.k.data() + t * kv_dim, c.n_kv_heads, c.head_dim, p, freq, c.rope_attention_factor, half);
            kv.write(b.tables[t][slot / bt], l, 0, slot % bt, ws.k.data() + t * kv_dim);
            kv.write(b.tables[t][slot / bt], l, 1, slot % bt, ws.v.data() + t * kv_dim);
        }
        attention(model, kv, ws, b, l);
        matmul.input(ws.att.data(), q_dim, n);
        matmul({{ws.xb.data(), &w.wo, w.bo}}, n);
        for (int64_t i = 0; i < int64_t(n) * dim; ++i) ws.x[i] += ws.xb[i];

        for (int32_t t = 0; t < n; ++t) {
            kernels::rmsnorm(ws.xb.data() + t * dim, ws.x.data() + t * dim, w.ffn_norm, dim, c.rms_eps);
        }
        matmul.input(ws.xb.data(), dim, n);
        matmul({{ws.hb.data(), &w.w1, nullptr}, {ws.hb2.data(), &w.w3, nullptr}}, n);
        kernels::swiglu(ws.hb.data(), ws.hb.data(), ws.hb2.data(), int64_t(n) * hidden);
        matmul.input(ws.hb.data(), hidden, n);
        matmul({{ws.xb.data(), &w.w2, nullptr}}, n);
        for (int64_t i = 0; i < int64_t(n) * dim; ++i) ws.x[i] += ws.xb[i];
    }
    // Final norm of the rows that need logits, gathered, then one head matmul.
    for (int32_t i = 0; i < b.n_logits; ++i) {
        kernels::rmsnorm(ws.xb.data() + i * dim, ws.x.data() + int64_t(b.logit_rows[i]) * dim, model.norm, dim, c.rms_eps);
    }
    matmul.input(ws.xb.data(), dim, b.n_logits);
    matmul({{logits, &model.output, nullptr}}, b.n_logits);
}

}  // namespace euclid
