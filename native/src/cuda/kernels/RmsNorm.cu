// RMSNorm of rows: out row i = w * (x row src(i) / rms), src(i) = rows[i] when
// `rows` is given (the final norm gathers the rows that need logits), else i.
// One block per row; the sum of squares is reduced in a fixed order.
#include "cuda/kernels/Common.cuh"

extern "C" __global__ void euclid_rmsnorm(float* out, const float* x, const float* w, const int32_t* rows, int32_t dim,
                                          float eps) {
    __shared__ float scratch[32];
    const int64_t src = rows ? rows[blockIdx.x] : blockIdx.x;
    const float* in = x + src * dim;
    float* o = out + int64_t(blockIdx.x) * dim;
    float ss = 0.0f;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) ss += in[i] * in[i];
    ss = euclid::cuda::block_reduce<false>(ss, scratch);
    const float scale = 1.0f / sqrtf(ss / static_cast<float>(dim) + eps);
    for (int i = threadIdx.x; i < dim; i += blockDim.x) o[i] = w[i] * (scale * in[i]);
}
