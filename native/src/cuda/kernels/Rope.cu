// RoPE on the q or k rows of a batch (kernels/cpu/Ops.cpp's rope): token t's
// heads rotate by positions[t] * inv_freq[j], pairs (2j, 2j+1) interleaved
// (llama2.c, GGUF) or (j, j + head_dim/2) with half_layout (Hugging Face);
// cos and sin are scaled by `scale` (YaRN's attention factor, else 1).
// Grid: one block per token; threads over (head, pair).
#include "cuda/kernels/Common.cuh"

extern "C" __global__ void euclid_rope(float* vec, int64_t row_stride, const int32_t* positions, const float* inv_freq,
                                       int32_t n_heads, int32_t head_dim, float scale, int32_t half_layout) {
    const int t = blockIdx.x;
    const int half = head_dim / 2;
    float* row = vec + int64_t(t) * row_stride;
    const float pos = static_cast<float>(positions[t]);
    for (int k = threadIdx.x; k < n_heads * half; k += blockDim.x) {
        const int h = k / half, j = k % half;
        const float angle = pos * inv_freq[j];
        const float c = cosf(angle) * scale, s = sinf(angle) * scale;
        float* v = row + int64_t(h) * head_dim;
        const int i0 = half_layout ? j : 2 * j, i1 = half_layout ? j + half : 2 * j + 1;
        const float a = v[i0], b = v[i1];
        v[i0] = a * c - b * s;
        v[i1] = a * s + b * c;
    }
}
