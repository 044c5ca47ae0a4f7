// Writes the K and V rows of every token of a batch into its slot of the paged
// pool for one layer, converted to the pool's type (FP8: one scale per KV head,
// absmax / 448, as kv/KvCache.cpp does). Grid: (tokens, KV heads).
#include "cuda/kernels/KvLayout.cuh"

extern "C" __global__ void euclid_kv_store(euclid::cuda::KvLayout l, euclid::cuda::BatchArrays b, const float* k,
                                           const float* v) {
    __shared__ float scratch[32];
    const int t = blockIdx.x, h = blockIdx.y;
    const int32_t* table = b.tables + b.table_offsets[t];
    for (int kv = 0; kv < 2; ++kv) {
        const float* src = (kv ? v : k) + int64_t(t) * l.kv_dim + int64_t(h) * l.head_dim;
        uint8_t* row = euclid::cuda::kv_row(l, table, b.slots[t], kv);
        const int64_t base = int64_t(h) * l.head_dim;
        if (l.dtype == euclid::KVT_F32) {
            for (int i = threadIdx.x; i < l.head_dim; i += blockDim.x) reinterpret_cast<float*>(row)[base + i] = src[i];
        } else if (l.dtype == euclid::KVT_F16) {
            for (int i = threadIdx.x; i < l.head_dim; i += blockDim.x) {
                reinterpret_cast<__half*>(row)[base + i] = __float2half_rn(src[i]);
            }
        } else {
            float absmax = 0.0f;
            for (int i = threadIdx.x; i < l.head_dim; i += blockDim.x) absmax = fmaxf(absmax, fabsf(src[i]));
            absmax = euclid::cuda::block_reduce<true>(absmax, scratch);
            const float scale = absmax > 0.0f ? absmax / 448.0f : 1.0f;
            if (threadIdx.x == 0) memcpy(row + l.kv_dim + 4 * h, &scale, 4);
            for (int i = threadIdx.x; i < l.head_dim; i += blockDim.x) row[base + i] = euclid::cuda::float_to_fp8(src[i] / scale);
        }
    }
}
