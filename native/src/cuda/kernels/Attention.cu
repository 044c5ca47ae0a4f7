// Paged attention over block tables for a ragged batch: decode tokens, prompt
// chunks and draft trees alike (model/Attention.cpp's semantics). Token t's
// query head h sees, in slot order, the linear slots [0, prefix[t]) less its
// sequence's hole [hole_begin[t], hole_end[t]), then its draft-tree ancestors.
//
// One block of kThreads threads per (token, query head). Keys are taken in
// tiles of kThreads, one per thread; softmax runs online (running maximum and
// sum, FlashAttention's rescaling), so no score buffer grows with the context;
// thread d accumulates output dimensions d and d + kThreads. The order of every
// sum is fixed by the token alone, so results do not depend on the batch.
#include <cfloat>

#include "cuda/kernels/KvLayout.cuh"

namespace {

constexpr int kThreads = 128;
constexpr int kMaxHeadDim = 2 * kThreads;

struct Visible {
    int32_t len0, hole_end, len1, n_anc;
    const int32_t* anc;

    __device__ int32_t total() const { return len0 + len1 + n_anc; }
    __device__ int32_t slot(int32_t i) const {
        if (i < len0) return i;
        if (i < len0 + len1) return hole_end + (i - len0);
        return anc[i - len0 - len1];
    }
};

__device__ Visible visible(const euclid::cuda::BatchArrays& b, int t) {
    const int32_t prefix = b.prefix[t], hb = b.hole_begin[t], he = b.hole_end[t];
    const int32_t a0 = b.ancestor_offsets[t], a1 = b.ancestor_offsets[t + 1];
    if (hb >= he || prefix <= hb) return Visible{prefix, 0, 0, a1 - a0, b.ancestors + a0};
    return Visible{hb, he, max(he, prefix) - he, a1 - a0, b.ancestors + a0};
}

}  // namespace

// Grid: (tokens, query heads), blockDim kThreads; head_dim <= kMaxHeadDim (checked by the backend).
extern "C" __global__ void euclid_attention(float* out, const float* q, euclid::cuda::KvLayout l,
                                            euclid::cuda::BatchArrays b, int32_t n_heads, float scale) {
    __shared__ float qs[kMaxHeadDim];
    __shared__ float probs[kThreads];
    __shared__ int32_t slots[kThreads];
    __shared__ float scratch[32];
    const int t = blockIdx.x, h = blockIdx.y, tid = threadIdx.x;
    const int hd = l.head_dim, kvh = h / (n_heads / l.n_kv_heads);
    const int64_t q_dim = int64_t(n_heads) * hd;
    for (int i = tid; i < hd; i += kThreads) qs[i] = q[t * q_dim + int64_t(h) * hd + i];
    __syncthreads();
    const int32_t* table = b.tables + b.table_offsets[t];
    const Visible vis = visible(b, t);
    const int32_t total = vis.total();
    float m = -FLT_MAX, sum = 0.0f, acc0 = 0.0f, acc1 = 0.0f;
    for (int32_t tile = 0; tile < total; tile += kThreads) {
        const int32_t i = tile + tid;
        float s = -FLT_MAX;
        int32_t slot = 0;
        if (i < total) {
            slot = vis.slot(i);
            const uint8_t* key = euclid::cuda::kv_row(l, table, slot, 0);
            const float key_scale = euclid::cuda::kv_scale(l, key, kvh);
            float dot = 0.0f;
            for (int d = 0; d < hd; ++d) dot += qs[d] * euclid::cuda::kv_at(l, key, kvh, d, key_scale);
            s = dot * scale;
        }
        const float m_new = fmaxf(m, euclid::cuda::block_reduce<true>(s, scratch));
        const float p = i < total ? expf(s - m_new) : 0.0f;
        const float rescale = expf(m - m_new);
        sum = sum * rescale + euclid::cuda::block_reduce<false>(p, scratch);
        probs[tid] = p;
        slots[tid] = slot;
        __syncthreads();
        const int32_t n = min(kThreads, total - tile);
        acc0 *= rescale;
        acc1 *= rescale;
        for (int32_t j = 0; j < n; ++j) {
            const uint8_t* value = euclid::cuda::kv_row(l, table, slots[j], 1);
            const float value_scale = euclid::cuda::kv_scale(l, value, kvh);
            if (tid < hd) acc0 += probs[j] * euclid::cuda::kv_at(l, value, kvh, tid, value_scale);
            if (tid + kThreads < hd) acc1 += probs[j] * euclid::cuda::kv_at(l, value, kvh, tid + kThreads, value_scale);
        }
        __syncthreads();  // probs and slots are rewritten by the next tile
        m = m_new;
    }
    float* o = out + t * q_dim + int64_t(h) * hd;
    if (tid < hd) o[tid] = acc0 / sum;
    if (tid + kThreads < hd) o[tid + kThreads] = acc1 / sum;
}
