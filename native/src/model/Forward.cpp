#include "model/Forward.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "kv/KvCache.h"
#include "model/Model.h"
#include "model/Workspace.h"
#include "quant/Quantize.h"

namespace euclid {

namespace {

// The linear slots token t sees, as at most two ranges in slot order: [0,
// prefix) without its sequence's hole (see Batch). Returns the range count.
struct SlotRange {
    int64_t begin, end;
};

int visible_ranges(const Batch& b, int64_t t, SlotRange out[2]) {
    const int64_t prefix = b.slots ? b.prefix[t] : int64_t(b.positions[t]) + 1;
    if (!b.hole_begin || b.hole_begin[t] >= b.hole_end[t] || prefix <= b.hole_begin[t]) {
        out[0] = {0, prefix};
        return 1;
    }
    out[0] = {0, b.hole_begin[t]};
    out[1] = {b.hole_end[t], std::max<int64_t>(b.hole_end[t], prefix)};
    return 2;
}

// Calls fn(rows, stride, count, i) for runs of the K (kv = 0) or V rows of slots
// [r.begin, r.end), rows `stride` floats apart, the first being slot r.begin +
// i: an FP32 cache hands out each block's rows in place, other types convert
// one KV head's slice into `scratch` a slot at a time.
template <typename Fn>
void for_each_rows(const KvCache& kv, const int32_t* table, int layer, int kv_index, int kvh, int64_t hd,
                   SlotRange r, float* scratch, Fn fn) {
    const int32_t bt = kv.block_tokens();
    if (kv.dtype() == KVT_F32) {
        const int64_t stride = kv.row_floats();
        for (int64_t s = r.begin; s < r.end;) {
            const int64_t offset = s % bt, n = std::min<int64_t>(bt - offset, r.end - s);
            fn(kv.f32_rows(table[s / bt], layer, kv_index) + offset * stride + kvh * hd, stride, n, s - r.begin);
            s += n;
        }
    } else {
        for (int64_t s = r.begin; s < r.end; ++s) {
            fn(kv.read(table[s / bt], layer, kv_index, static_cast<int>(s % bt), kvh, scratch), hd, 1, s - r.begin);
        }
    }
}

// Query heads per attention work item: the KV head's whole group when tokens x
// KV heads give every thread two items or more, else shares of it; at most
// `cap`, the score rows each thread has.
int64_t heads_per_item(int64_t group, int64_t cap, int threads, int64_t groups) {
    const int64_t shares = std::max<int64_t>(1, (2 * int64_t(threads) + groups - 1) / groups);
    return std::max<int64_t>(1, std::min(cap, (group + shares - 1) / shares));
}

// Causal grouped-query attention of every chunk token over the slots it sees
// (see Batch), reading K/V through the block table. A work item is one token
// and the query heads of one KV head (a share of them when there are fewer
// items than threads to keep busy): each K and V row is read once for all of
// them. Every (token, head) is still reduced alone and in slot order, so
// chunking, batching and the item split never change a result.
void attention(const Model& model, const KvCache& kv, Workspace& ws, const Batch& b, int layer) {
    const ModelConfig& c = model.config();
    const int64_t hd = c.head_dim, q_dim = model.q_dim();
    const int64_t group = c.n_heads / c.n_kv_heads;
    const int64_t per_item = heads_per_item(group, ws.scores_heads, model.pool().size(), int64_t(b.n) * c.n_kv_heads);
    const int64_t shares = (group + per_item - 1) / per_item;
    const int32_t bt = kv.block_tokens();
    const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
    const kernels::KernelTable& k = kernels::table();
    model.pool().parallel_for(int64_t(b.n) * c.n_kv_heads * shares, [&](int thread, int64_t begin, int64_t end) {
        float* scores = ws.scores.data() + thread * ws.scores_stride * ws.scores_heads;
        const int64_t stride = ws.scores_stride;
        float* scratch = ws.kv_row.data() + thread * ws.kv_row_stride;
        for (int64_t item = begin; item < end; ++item) {
            const int64_t t = item / (c.n_kv_heads * shares);
            const int kvh = static_cast<int>(item / shares % c.n_kv_heads);
            const int64_t h0 = kvh * group + item % shares * per_item;
            const int64_t m = std::min(per_item, (kvh + 1) * group - h0);
            SlotRange ranges[2];
            const int n_ranges = visible_ranges(b, t, ranges);
            const int32_t* extra = b.slots ? b.ancestors + b.ancestor_offsets[t] : nullptr;
            const int64_t n_extra = b.slots ? b.ancestor_offsets[t + 1] - b.ancestor_offsets[t] : 0;
            const int32_t* table = b.tables[t];
            const float* q = ws.q.data() + t * q_dim + h0 * hd;
            float* out = ws.att.data() + t * q_dim + h0 * hd;
            std::memset(out, 0, sizeof(float) * hd * m);
            // Head i's scores are row i of `scores` (stride apart), in slot order.
            int64_t n_scores = 0;
            for (int i = 0; i < n_ranges; ++i) {
                float* s = scores + n_scores;
                for_each_rows(kv, table, layer, 0, kvh, hd, ranges[i], scratch,
                              [&](const float* keys, int64_t key_stride, int64_t n, int64_t j) {
                                  k.dots(q, hd, m, keys, key_stride, n, hd, scale, s + j, stride);
                              });
                n_scores += ranges[i].end - ranges[i].begin;
            }
            for (int64_t e = 0; e < n_extra; ++e) {
                const int32_t p = extra[e];
                k.dots(q, hd, m, kv.read(table[p / bt], layer, 0, p % bt, kvh, scratch), hd, 1, hd, scale,
                       scores + n_scores + e, stride);
            }
            for (int64_t i = 0; i < m; ++i) kernels::softmax(scores + i * stride, n_scores + n_extra);
            int64_t seen = 0;
            for (int i = 0; i < n_ranges; ++i) {
                const float* s = scores + seen;
                for_each_rows(kv, table, layer, 1, kvh, hd, ranges[i], scratch,
                              [&](const float* values, int64_t value_stride, int64_t n, int64_t j) {
                                  k.axpys(out, hd, m, s + j, stride, values, value_stride, n, hd);
                              });
                seen += ranges[i].end - ranges[i].begin;
            }
            for (int64_t e = 0; e < n_extra; ++e) {
                const int32_t p = extra[e];
                k.axpys(out, hd, m, scores + n_scores + e, stride, kv.read(table[p / bt], layer, 1, p % bt, kvh, scratch),
                        hd, 1, hd);
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
