// SwiGLU of the MLP: h = silu(gate) * up, element-wise (h may be gate).
#include "cuda/kernels/Common.cuh"

extern "C" __global__ void euclid_swiglu(float* h, const float* gate, const float* up, int64_t size) {
    for (int64_t i = blockIdx.x * int64_t(blockDim.x) + threadIdx.x; i < size; i += int64_t(gridDim.x) * blockDim.x) {
        const float g = gate[i];
        h[i] = g / (1.0f + expf(-g)) * up[i];
    }
}
