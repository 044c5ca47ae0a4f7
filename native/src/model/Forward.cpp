#include "model/Forward.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/cpu/Kernels.h"
#include "kv/KvCache.h"
#include "model/Model.h"
#include "model/Workspace.h"
#include "quant/Quantize.h"

namespace euclid {

namespace {

// out[0, hd) += a * v[0, hd): one place, so every attention path accumulates
// in the same order and with the same arithmetic.
inline void accumulate(float* out, float a, const float* v, int64_t hd) {
    for (int64_t j = 0; j < hd; ++j) out[j] += a * v[j];
}

// Causal grouped-query attention of every chunk token over the slots it sees
// (see Batch), reading K/V through the block table. Each (token, head) is
// computed alone, so chunking and batching never change a result.
void attention(const Model& model, const KvCache& kv, Workspace& ws, const Batch& b, int layer) {
    const ModelConfig& c = model.config();
    const int64_t hd = c.head_dim, q_dim = model.q_dim();
    const int64_t group = c.n_heads / c.n_kv_heads;
    const int32_t bt = kv.block_tokens();
    const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
    model.pool().parallel_for(int64_t(b.n) * c.n_heads, [&](int thread, int64_t begin, int64_t end) {
        float* scores = ws.scores.data() + thread * ws.scores_stride;
        float* row = ws.kv_row.data() + thread * ws.kv_row_stride;
        for (int64_t item = begin; item < end; ++item) {
            const int64_t t = item / c.n_heads, h = item % c.n_heads;
            const int kvh = static_cast<int>(h / group);
            const int64_t linear = b.slots ? b.prefix[t] : int64_t(b.positions[t]) + 1;
            const int32_t* extra = b.slots ? b.ancestors + b.ancestor_offsets[t] : nullptr;
            const int64_t n_extra = b.slots ? b.ancestor_offsets[t + 1] - b.ancestor_offsets[t] : 0;
            const int32_t* table = b.tables[t];
            const float* q = ws.q.data() + t * q_dim + h * hd;
            float* out = ws.att.data() + t * q_dim + h * hd;
            std::memset(out, 0, sizeof(float) * hd);
            if (kv.dtype() == KVT_F32) {
                // Walk the block table: one base pointer per block, rows at a fixed stride.
                const int64_t stride = kv.row_floats();
                for (int64_t b0 = 0; b0 < linear; b0 += bt) {
                    const float* k = kv.f32_rows(table[b0 / bt], layer, 0) + kvh * hd;
                    const int64_t n = std::min<int64_t>(bt, linear - b0);
                    for (int64_t i = 0; i < n; ++i) scores[b0 + i] = kernels::dot(q, k + i * stride, hd) * scale;
                }
            } else {
                for (int64_t p = 0; p < linear; ++p) {
                    const float* k = kv.read(table[p / bt], layer, 0, static_cast<int>(p % bt), kvh, row);
                    scores[p] = kernels::dot(q, k, hd) * scale;
                }
            }
            for (int64_t e = 0; e < n_extra; ++e) {
                const int32_t p = extra[e];
                const float* k = kv.read(table[p / bt], layer, 0, p % bt, kvh, row);
                scores[linear + e] = kernels::dot(q, k, hd) * scale;
            }
            kernels::softmax(scores, linear + n_extra);
            if (kv.dtype() == KVT_F32) {
                const int64_t stride = kv.row_floats();
                for (int64_t b0 = 0; b0 < linear; b0 += bt) {
                    const float* v = kv.f32_rows(table[b0 / bt], layer, 1) + kvh * hd;
                    const int64_t n = std::min<int64_t>(bt, linear - b0);
                    for (int64_t i = 0; i < n; ++i) accumulate(out, scores[b0 + i], v + i * stride, hd);
                }
            } else {
                for (int64_t p = 0; p < linear; ++p) {
                    accumulate(out, scores[p], kv.read(table[p / bt], layer, 1, static_cast<int>(p % bt), kvh, row), hd);
                }
            }
            for (int64_t e = 0; e < n_extra; ++e) {
                const int32_t p = extra[e];
                accumulate(out, scores[linear + e], kv.read(table[p / bt], layer, 1, p % bt, kvh, row), hd);
            }
        }
    });
}

}  // namespace

void forward(const Model& model, KvCache& kv, Workspace& ws, const Batch& b, float* logits) {
    const ModelConfig& c = model.config();
    ThreadPool& pool = model.pool();
    const int64_t dim = c.dim, hidden = c.hidden_dim, kv_dim = model.kv_dim(), q_dim = model.q_dim();
    const bool half = c.rope_layout == ROPE_HALF;
    const int32_t bt = kv.block_tokens();
    const int32_t n = b.n;

    const Matrix& emb = model.tok_embeddings;
    for (int32_t t = 0; t < n; ++t) dequantize_row(emb.data, emb.scales, emb.type, b.tokens[t], dim, ws.x.data() + t * dim);
    for (int l = 0; l < c.n_layers; ++l) {
        const LayerWeights& w = model.layers[l];
        for (int32_t t = 0; t < n; ++t) {
            kernels::rmsnorm(ws.xb.data() + t * dim, ws.x.data() + t * dim, w.attention_norm, dim, c.rms_eps);
        }
        kernels::matmul(pool, ws.q.data(), ws.xb.data(), w.wq, w.bq, n);
        kernels::matmul(pool, ws.k.data(), ws.xb.data(), w.wk, w.bk, n);
        kernels::matmul(pool, ws.v.data(), ws.xb.data(), w.wv, w.bv, n);
        for (int32_t t = 0; t < n; ++t) {
            const int32_t p = b.positions[t];
            const int32_t slot = b.slots ? b.slots[t] : p;
            kernels::rope(ws.q.data() + t * q_dim, c.n_heads, c.head_dim, p, c.rope_theta, half);
            kernels::rope(ws.k.data() + t * kv_dim, c.n_kv_heads, c.head_dim, p, c.rope_theta, half);
            kv.write(b.tables[t][slot / bt], l, 0, slot % bt, ws.k.data() + t * kv_dim);
            kv.write(b.tables[t][slot / bt], l, 1, slot % bt, ws.v.data() + t * kv_dim);
        }
        attention(model, kv, ws, b, l);
        kernels::matmul(pool, ws.xb.data(), ws.att.data(), w.wo, nullptr, n);
        for (int64_t i = 0; i < int64_t(n) * dim; ++i) ws.x[i] += ws.xb[i];

        for (int32_t t = 0; t < n; ++t) {
            kernels::rmsnorm(ws.xb.data() + t * dim, ws.x.data() + t * dim, w.ffn_norm, dim, c.rms_eps);
        }
        kernels::matmul(pool, ws.hb.data(), ws.xb.data(), w.w1, nullptr, n);
        kernels::matmul(pool, ws.hb2.data(), ws.xb.data(), w.w3, nullptr, n);
        kernels::swiglu(ws.hb.data(), ws.hb.data(), ws.hb2.data(), int64_t(n) * hidden);
        kernels::matmul(pool, ws.xb.data(), ws.hb.data(), w.w2, nullptr, n);
        for (int64_t i = 0; i < int64_t(n) * dim; ++i) ws.x[i] += ws.xb[i];
    }
    // Final norm of the rows that need logits, gathered, then one head matmul.
    for (int32_t i = 0; i < b.n_logits; ++i) {
        kernels::rmsnorm(ws.xb.data() + i * dim, ws.x.data() + int64_t(b.logit_rows[i]) * dim, model.norm, dim, c.rms_eps);
    }
    kernels::matmul(pool, logits, ws.xb.data(), model.output, nullptr, b.n_logits);
}

}  // namespace euclid
