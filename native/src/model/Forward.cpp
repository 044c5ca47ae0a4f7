#include "model/Forward.h"

#include <cmath>
#include <cstring>

#include "kernels/cpu/Kernels.h"
#include "kv/Sequence.h"
#include "model/Model.h"
#include "quant/Quantize.h"

namespace euclid {

namespace {

// Causal grouped-query attention of every token in the chunk over the cache.
void attention(const Model& model, Sequence& seq, int layer, int32_t n, int32_t pos0) {
    const ModelConfig& c = model.config();
    const int64_t hd = c.head_dim, kv_dim = model.kv_dim(), q_dim = model.q_dim();
    const int64_t group = c.n_heads / c.n_kv_heads;
    const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
    const float* keys = seq.key.data() + int64_t(layer) * seq.capacity * kv_dim;
    const float* values = seq.value.data() + int64_t(layer) * seq.capacity * kv_dim;
    model.pool().parallel_for(int64_t(n) * c.n_heads, [&](int thread, int64_t begin, int64_t end) {
        float* scores = seq.scores.data() + int64_t(thread) * seq.capacity;
        for (int64_t item = begin; item < end; ++item) {
            const int64_t t = item / c.n_heads, h = item % c.n_heads;
            const int64_t kvh = h / group, last = pos0 + t;
            const float* q = seq.q.data() + t * q_dim + h * hd;
            for (int64_t p = 0; p <= last; ++p) scores[p] = kernels::dot(q, keys + p * kv_dim + kvh * hd, hd) * scale;
            kernels::softmax(scores, last + 1);
            float* out = seq.att.data() + t * q_dim + h * hd;
            std::memset(out, 0, sizeof(float) * hd);
            for (int64_t p = 0; p <= last; ++p) {
                const float* v = values + p * kv_dim + kvh * hd;
                const float a = scores[p];
                for (int64_t i = 0; i < hd; ++i) out[i] += a * v[i];
            }
        }
    });
}

}  // namespace

void forward(const Model& model, Sequence& seq, const int32_t* tokens, int32_t n, float* all_logits) {
    const ModelConfig& c = model.config();
    ThreadPool& pool = model.pool();
    const int64_t dim = c.dim, hidden = c.hidden_dim, kv_dim = model.kv_dim(), q_dim = model.q_dim();
    const int32_t pos0 = seq.length;
    const bool half = c.rope_layout == ROPE_HALF;

    const Matrix& emb = model.tok_embeddings;
    for (int32_t t = 0; t < n; ++t) dequantize_row(emb.data, emb.scales, emb.type, tokens[t], dim, seq.x.data() + t * dim);
    for (int l = 0; l < c.n_layers; ++l) {
        const LayerWeights& w = model.layers[l];
        for (int32_t t = 0; t < n; ++t) {
            kernels::rmsnorm(seq.xb.data() + t * dim, seq.x.data() + t * dim, w.attention_norm, dim, c.rms_eps);
        }
        kernels::matmul(pool, seq.q.data(), seq.xb.data(), w.wq, w.bq, n);
        kernels::matmul(pool, seq.k.data(), seq.xb.data(), w.wk, w.bk, n);
        kernels::matmul(pool, seq.v.data(), seq.xb.data(), w.wv, w.bv, n);
        float* keys = seq.key.data() + int64_t(l) * seq.capacity * kv_dim;
        float* values = seq.value.data() + int64_t(l) * seq.capacity * kv_dim;
        for (int32_t t = 0; t < n; ++t) {
            kernels::rope(seq.q.data() + t * q_dim, c.n_heads, c.head_dim, pos0 + t, c.rope_theta, half);
            kernels::rope(seq.k.data() + t * kv_dim, c.n_kv_heads, c.head_dim, pos0 + t, c.rope_theta, half);
            std::memcpy(keys + int64_t(pos0 + t) * kv_dim, seq.k.data() + t * kv_dim, sizeof(float) * kv_dim);
            std::memcpy(values + int64_t(pos0 + t) * kv_dim, seq.v.data() + t * kv_dim, sizeof(float) * kv_dim);
        }
        attention(model, seq, l, n, pos0);
        kernels::matmul(pool, seq.xb.data(), seq.att.data(), w.wo, nullptr, n);
        for (int64_t i = 0; i < int64_t(n) * dim; ++i) seq.x[i] += seq.xb[i];

        for (int32_t t = 0; t < n; ++t) {
            kernels::rmsnorm(seq.xb.data() + t * dim, seq.x.data() + t * dim, w.ffn_norm, dim, c.rms_eps);
        }
        kernels::matmul(pool, seq.hb.data(), seq.xb.data(), w.w1, nullptr, n);
        kernels::matmul(pool, seq.hb2.data(), seq.xb.data(), w.w3, nullptr, n);
        kernels::swiglu(seq.hb.data(), seq.hb.data(), seq.hb2.data(), int64_t(n) * hidden);
        kernels::matmul(pool, seq.xb.data(), seq.hb.data(), w.w2, nullptr, n);
        for (int64_t i = 0; i < int64_t(n) * dim; ++i) seq.x[i] += seq.xb[i];
    }
    seq.length = pos0 + n;

    if (all_logits) {
        for (int32_t t = 0; t < n; ++t) {
            kernels::rmsnorm(seq.xb.data() + t * dim, seq.x.data() + t * dim, model.norm, dim, c.rms_eps);
        }
        kernels::matmul(pool, all_logits, seq.xb.data(), model.output, nullptr, n);
    } else {
        kernels::rmsnorm(seq.xb.data(), seq.x.data() + int64_t(n - 1) * dim, model.norm, dim, c.rms_eps);
        kernels::matmul(pool, seq.logits.data(), seq.xb.data(), model.output, nullptr, 1);
    }
}

}  // namespace euclid
