// Embedding lookup: row tokens[t] of the table, dequantised to FP32, into out
// row t. One block per token.
#include "cuda/KernelParams.h"
#include "cuda/kernels/Common.cuh"

namespace {

template <int T>
__device__ void embed_row(float* out, const euclid::cuda::DeviceMatrix& m, int32_t token) {
    const uint8_t* row = m.data + token * m.cols * euclid::cuda::weight_bytes<T>();
    const float scale = euclid::cuda::weight_scaled<T>() ? m.scales[token] : 1.0f;
    for (int64_t i = threadIdx.x; i < m.cols; i += blockDim.x) out[i] = euclid::cuda::weight_at<T>(row, i) * scale;
}

}  // namespace

extern "C" __global__ void euclid_embed(float* out, euclid::cuda::DeviceMatrix table, const int32_t* tokens) {
    float* o = out + int64_t(blockIdx.x) * table.cols;
    const int32_t token = tokens[blockIdx.x];
    switch (table.type) {
        case euclid::WEIGHTS_F32: embed_row<euclid::WEIGHTS_F32>(o, table, token); break;
        case euclid::WEIGHTS_F16: embed_row<euclid::WEIGHTS_F16>(o, table, token); break;
        case euclid::WEIGHTS_BF16: embed_row<euclid::WEIGHTS_BF16>(o, table, token); break;
        case euclid::WEIGHTS_FP8: embed_row<euclid::WEIGHTS_FP8>(o, table, token); break;
        case euclid::WEIGHTS_INT8: embed_row<euclid::WEIGHTS_INT8>(o, table, token); break;
        default: break;  // the backend refuses other types when it uploads the weights
    }
}
