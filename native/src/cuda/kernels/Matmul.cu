// Matrix products out = x . W^T (* row scale) (+ bias) for every weight type
// the CUDA backend stores (F32, F16, BF16, FP8, INT8), FP32 activations.
//
// One warp per output row and up to kTokens tokens (blockIdx.y picks the token
// tile): the warp streams the row once for the tile, each lane reading 8
// consecutive weights per load (16 bytes of FP16), which is what batch-1
// decode needs to run at memory bandwidth. A token's sum is accumulated in the
// same order whatever the batch size, so results do not depend on the batch.
// Prefill re-reads each row once per token tile; a tensor-core GEMM (cuBLASLt
// or an own one) is the faster path still to come for large batches.
#include "cuda/KernelParams.h"
#include "cuda/kernels/Common.cuh"

namespace {

using euclid::cuda::MatmulArgs;
using euclid::cuda::weight_at;
using euclid::cuda::weight_bytes;
using euclid::cuda::weight_scaled;

constexpr int kTokens = 8;

// Weights [c, c + 8) of a row as floats; the row is aligned to 8 elements (cols % 8 == 0).
template <int T>
__device__ __forceinline__ void load8(const uint8_t* row, int64_t c, float w[8]) {
    if constexpr (T == euclid::WEIGHTS_F32) {
        const float4 a = reinterpret_cast<const float4*>(row)[c / 4], b = reinterpret_cast<const float4*>(row)[c / 4 + 1];
        w[0] = a.x; w[1] = a.y; w[2] = a.z; w[3] = a.w; w[4] = b.x; w[5] = b.y; w[6] = b.z; w[7] = b.w;
    } else if constexpr (T == euclid::WEIGHTS_F16 || T == euclid::WEIGHTS_BF16) {
        const uint4 v = reinterpret_cast<const uint4*>(row)[c / 8];
        const uint32_t words[4] = {v.x, v.y, v.z, v.w};
        for (int k = 0; k < 4; ++k) {
            const uint8_t* pair = reinterpret_cast<const uint8_t*>(&words[k]);
            w[2 * k] = weight_at<T>(pair, 0);
            w[2 * k + 1] = weight_at<T>(pair, 1);
        }
    } else {
        const uint2 v = reinterpret_cast<const uint2*>(row)[c / 8];
        const uint32_t words[2] = {v.x, v.y};
        const uint8_t* bytes = reinterpret_cast<const uint8_t*>(words);
        for (int k = 0; k < 8; ++k) w[k] = weight_at<T>(bytes, k);
    }
}

template <int T>
__device__ void matmul_rows(const MatmulArgs& a) {
    const int lane = threadIdx.x % euclid::cuda::kWarp;
    const int64_t r = int64_t(blockIdx.x) * (blockDim.x / euclid::cuda::kWarp) + threadIdx.x / euclid::cuda::kWarp;
    if (r >= a.w.rows) return;
    const int t0 = blockIdx.y * kTokens;
    const int nt = min(kTokens, a.n - t0);
    const int64_t cols = a.w.cols;
    const uint8_t* row = a.w.data + r * cols * weight_bytes<T>();
    const float* x = a.x + int64_t(t0) * cols;
    float acc[kTokens] = {};
    if (cols % 8 == 0) {
        for (int64_t c = int64_t(lane) * 8; c < cols; c += 8 * euclid::cuda::kWarp) {
            float w[8];
            load8<T>(row, c, w);
            // Unrolled over the whole tile so that acc stays in registers (a runtime bound would index it in memory).
#pragma unroll
            for (int t = 0; t < kTokens; ++t) {
                if (t >= nt) break;
                const float4 x0 = reinterpret_cast<const float4*>(x + t * cols + c)[0];
                const float4 x1 = reinterpret_cast<const float4*>(x + t * cols + c)[1];
                acc[t] += w[0] * x0.x + w[1] * x0.y + w[2] * x0.z + w[3] * x0.w + w[4] * x1.x + w[5] * x1.y +
                          w[6] * x1.z + w[7] * x1.w;
            }
        }
    } else {
        for (int64_t c = lane; c < cols; c += euclid::cuda::kWarp) {
            const float w = weight_at<T>(row, c);
#pragma unroll
            for (int t = 0; t < kTokens; ++t) {
                if (t >= nt) break;
                acc[t] += w * x[t * cols + c];
            }
        }
    }
    const float scale = weight_scaled<T>() ? a.w.scales[r] : 1.0f;
    const float bias = a.bias ? a.bias[r] : 0.0f;
#pragma unroll
    for (int t = 0; t < kTokens; ++t) {
        const float sum = euclid::cuda::warp_sum(acc[t]);  // every lane takes part: nt is the same for the warp
        if (lane == 0 && t < nt) a.out[int64_t(t0 + t) * a.w.rows + r] = sum * scale + bias;
    }
}

}  // namespace

// Grid: (ceil(rows / warps per block), ceil(n / kTokens)); blockDim a multiple of 32.
extern "C" __global__ void euclid_matmul(MatmulArgs a) {
    switch (a.w.type) {
        case euclid::WEIGHTS_F32: matmul_rows<euclid::WEIGHTS_F32>(a); break;
        case euclid::WEIGHTS_F16: matmul_rows<euclid::WEIGHTS_F16>(a); break;
        case euclid::WEIGHTS_BF16: matmul_rows<euclid::WEIGHTS_BF16>(a); break;
        case euclid::WEIGHTS_FP8: matmul_rows<euclid::WEIGHTS_FP8>(a); break;
        case euclid::WEIGHTS_INT8: matmul_rows<euclid::WEIGHTS_INT8>(a); break;
        default: break;  // the backend refuses other types when it uploads the weights
    }
}
