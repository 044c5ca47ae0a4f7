// Addresses and elements of K/V rows in the paged pool on the device (the
// layout of kv/KvCache.h, described by KvLayout in cuda/KernelParams.h).
#pragma once

#include <cstring>

#include "cuda/KernelParams.h"
#include "cuda/kernels/Common.cuh"

namespace euclid::cuda {

// The K (kv = 0) or V row of `slot` in a sequence's block table.
__device__ __forceinline__ uint8_t* kv_row(const KvLayout& l, const int32_t* table, int32_t slot, int kv) {
    const int64_t block = table[slot / l.block_tokens];
    return l.pool + block * l.block_bytes + ((int64_t(l.layer) * 2 + kv) * l.block_tokens + slot % l.block_tokens) * l.row_bytes;
}

// The scale of KV head `head`'s slice of a row: FP8 rows keep one FP32 scale per
// head after the kv_dim values (not 4-byte aligned in general); other types 1.
__device__ __forceinline__ float kv_scale(const KvLayout& l, const uint8_t* row, int head) {
    if (l.dtype != KVT_FP8) return 1.0f;
    float scale;
    memcpy(&scale, row + l.kv_dim + 4 * head, 4);
    return scale;
}

// Element i of KV head `head`'s slice of a row as FP32, given that slice's kv_scale.
__device__ __forceinline__ float kv_at(const KvLayout& l, const uint8_t* row, int head, int i, float scale) {
    const int64_t e = int64_t(head) * l.head_dim + i;
    if (l.dtype == KVT_F32) return reinterpret_cast<const float*>(row)[e];
    if (l.dtype == KVT_F16) return __half2float(reinterpret_cast<const __half*>(row)[e]);
    return fp8_to_float(row[e]) * scale;
}

}  // namespace euclid::cuda
