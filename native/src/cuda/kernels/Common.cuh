// Device helpers shared by the kernels: block-wide reductions in a fixed order
// (a token's result never depends on what else is in the batch) and element
// conversions of the weight and KV types.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <cstdint>

#include "euclid/euclid.h"

namespace euclid::cuda {

constexpr int kWarp = 32;

__device__ __forceinline__ float warp_sum(float v) {
    for (int o = kWarp / 2; o > 0; o /= 2) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int o = kWarp / 2; o > 0; o /= 2) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum (or max) over the block; every thread gets the result. `scratch` holds
// one float per warp; blockDim.x is a multiple of 32, at most 1024.
template <bool Max>
__device__ float block_reduce(float v, float* scratch) {
    const int lane = threadIdx.x % kWarp, warp = threadIdx.x / kWarp, warps = blockDim.x / kWarp;
    v = Max ? warp_max(v) : warp_sum(v);
    __syncthreads();  // scratch may still be read by a previous reduction
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    float r = scratch[0];
    for (int w = 1; w < warps; ++w) r = Max ? fmaxf(r, scratch[w]) : r + scratch[w];
    return r;
}

__device__ __forceinline__ float fp8_to_float(uint8_t b) {
    __nv_fp8_e4m3 v;
    v.__x = b;
    return static_cast<float>(v);
}

// Round to nearest even, saturating to +-448; NaN becomes 0, as quant/Fp8.h does.
__device__ __forceinline__ uint8_t float_to_fp8(float f) {
    if (isnan(f)) return 0;
    return static_cast<uint8_t>(__nv_cvt_float_to_fp8(f, __NV_SATFINITE, __NV_E4M3));
}

// Element i of a weight row of type T (a WeightType), unscaled.
template <int T>
__device__ __forceinline__ float weight_at(const uint8_t* row, int64_t i) {
    if constexpr (T == WEIGHTS_F32) return reinterpret_cast<const float*>(row)[i];
    if constexpr (T == WEIGHTS_F16) return __half2float(reinterpret_cast<const __half*>(row)[i]);
    if constexpr (T == WEIGHTS_BF16) return __bfloat162float(reinterpret_cast<const __nv_bfloat16*>(row)[i]);
    if constexpr (T == WEIGHTS_FP8) return fp8_to_float(row[i]);
    if constexpr (T == WEIGHTS_INT8) return static_cast<float>(reinterpret_cast<const int8_t*>(row)[i]);
    return 0.0f;
}

template <int T>
__host__ __device__ constexpr int64_t weight_bytes() {
    return T == WEIGHTS_F32 ? 4 : (T == WEIGHTS_F16 || T == WEIGHTS_BF16) ? 2 : 1;
}

template <int T>
__host__ __device__ constexpr bool weight_scaled() {
    return T == WEIGHTS_FP8 || T == WEIGHTS_INT8;
}

}  // namespace euclid::cuda
