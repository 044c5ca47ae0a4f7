#include "model/Attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "kv/KvCache.h"
#include "model/Model.h"
#include "model/Workspace.h"

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

// Brings one KV head's slice of the FP32 K (kv_index 0) or V rows of slots [s,
// min(end, the end of s's block)) into cache.
void prefetch_block(const KvCache& kv, const int32_t* table, int layer, int kv_index, int kvh, int64_t hd, int64_t s,
                    int64_t end) {
    const int32_t bt = kv.block_tokens();
    const int64_t stride = kv.row_floats(), n = std::min<int64_t>(bt - s % bt, end - s);
    const float* rows = kv.f32_rows(table[s / bt], layer, kv_index) + s % bt * stride + kvh * hd;
    for (int64_t r = 0; r < n; ++r) {
        for (int64_t f = 0; f < hd; f += 64 / sizeof(float)) __builtin_prefetch(rows + r * stride + f);
    }
}

// Calls fn(rows, stride, count, i) for runs of the K (kv = 0) or V rows of slots
// [r.begin, r.end), rows `stride` floats apart, the first being slot r.begin +
// i: an FP32 cache hands out each block's rows in place, other types convert
// one KV head's slices into `scratch` up to Workspace::kv_rows slots at a time.
//
// The kernels read a block's rows once per query head, so the next block's
// loads would start only after every head is done with this one, and the
// hardware prefetcher cannot guess where the next block lies: each FP32 block
// first prefetches the two blocks after it, so every block is asked for twice,
// two blocks and one block ahead. Measured with native/bench attention_bench
// (16-token blocks against one contiguous block, context 1,000): qwen0.5b's
// attention took 1.15-1.37x as long without prefetching, 1.06-1.19x
// prefetching one block ahead, and 0.85-0.90x with both, in sequential and in
// random block order (1b: 0.93x). The first request can be dropped while the
// core's miss buffers are full; the contiguous walk has no software prefetch.
constexpr int64_t kPrefetchBlocks = 2;

template <typename Fn>
void for_each_rows(const KvCache& kv, const int32_t* table, int layer, int kv_index, int kvh, int64_t hd,
                   SlotRange r, float* scratch, Fn fn) {
    const int32_t bt = kv.block_tokens();
    if (kv.dtype() == KVT_F32) {
        const int64_t stride = kv.row_floats();
        for (int64_t s = r.begin; s < r.end;) {
            const int64_t next = std::min<int64_t>((s / bt + 1) * bt, r.end);  // end of s's block
            for (int64_t ahead = next; ahead < std::min(next + kPrefetchBlocks * bt, r.end); ahead += bt) {
                prefetch_block(kv, table, layer, kv_index, kvh, hd, ahead, r.end);
            }
            fn(kv.f32_rows(table[s / bt], layer, kv_index) + s % bt * stride + kvh * hd, stride, next - s, s - r.begin);
            s = next;
        }
    } else {
        for (int64_t s = r.begin; s < r.end;) {
            const int64_t n = std::min<int64_t>({Workspace::kv_rows, bt - s % bt, r.end - s});
            kv.convert_rows(table[s / bt], layer, kv_index, static_cast<int>(s % bt), static_cast<int>(n), kvh, scratch);
            fn(scratch, hd, n, s - r.begin);
            s += n;
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

}  // namespace

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


}  // namespace euclid
