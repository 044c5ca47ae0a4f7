// Element-wise operators of the forward pass (cheap next to the matmuls).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels {

void rmsnorm(float* o, const float* x, const float* w, int64_t size, float eps) {
    float ss = dot(x, x, size) / static_cast<float>(size);
    const float scale = 1.0f / std::sqrt(ss + eps);
    for (int64_t i = 0; i < size; ++i) o[i] = w[i] * (scale * x[i]);
}

namespace {

// max(x[0], ..., x[n - 1]) over four SSE vectors at a time (GCC's vector extension: the
// compiler will not vectorise a float maximum by itself without -ffinite-math-only).
float max_of(const float* x, int64_t n) {
    typedef float Quad __attribute__((vector_size(16)));
    Quad lanes[4];
    for (Quad& l : lanes) l = Quad{x[0], x[0], x[0], x[0]};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int c = 0; c < 4; ++c) {
            Quad v;
            std::memcpy(&v, x + i + 4 * c, sizeof v);
            lanes[c] = v > lanes[c] ? v : lanes[c];
        }
    }
    float max = x[0];
    for (const Quad& l : lanes) {
        for (int j = 0; j < 4; ++j) max = l[j] > max ? l[j] : max;
    }
    for (; i < n; ++i) max = x[i] > max ? x[i] : max;
    return max;
}

// x[0] + ... + x[n - 1] in a fixed order the compiler vectorises: element i into lane i % 16,
// then the lanes added pairwise. One sequential chain of additions over a long row of
// attention scores was most of the softmax's time.
float sum_of(const float* x, int64_t n) {
    constexpr int64_t kLanes = 16;
    float lanes[kLanes] = {};
    int64_t i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        for (int64_t j = 0; j < kLanes; ++j) lanes[j] += x[i + j];
    }
    for (int64_t j = 0; i + j < n; ++j) lanes[j] += x[i + j];
    for (int64_t width = kLanes / 2; width > 0; width /= 2) {
        for (int64_t j = 0; j < width; ++j) lanes[j] += lanes[j + width];
    }
    return lanes[0];
}

}  // namespace

void softmax(float* x, int64_t size) {
    const float max = max_of(x, size);
    for (int64_t i = 0; i < size; ++i) x[i] -= max;
    table().exp(x, x, size);
    const float inv = 1.0f / sum_of(x, size);
    for (int64_t i = 0; i < size; ++i) x[i] *= inv;
}

void rope(float* vec, int64_t n_heads, int64_t head_dim, int64_t pos, const float* inv_freq, float scale,
          bool half_layout) {
    const int64_t half = head_dim / 2;
    for (int64_t j = 0; j < half; ++j) {
        const float angle = static_cast<float>(pos) * inv_freq[j];
        // As transformers: cos and sin times the attention factor, then the rotation.
        const float c = std::cos(angle) * scale, s = std::sin(angle) * scale;
        // Interleaved pairs (2j, 2j+1) vs rotate_half pairs (j, j+half).
        const int64_t i0 = half_layout ? j : 2 * j;
        const int64_t i1 = half_layout ? j + half : 2 * j + 1;
        for (int64_t h = 0; h < n_heads; ++h) {
            float* v = vec + h * head_dim;
            const float a = v[i0], b = v[i1];
            v[i0] = a * c - b * s;
            v[i1] = a * s + b * c;
        }
    }
}

void swiglu(float* h, const float* gate, const float* up, int64_t size) {
    // exp through the dispatched kernel (16 at a time with AVX-512), a chunk at a time
    // into a stack buffer; h may be gate.
    constexpr int64_t kChunk = 256;
    float e[kChunk];
    for (int64_t i0 = 0; i0 < size; i0 += kChunk) {
        const int64_t n = std::min(kChunk, size - i0);
        for (int64_t i = 0; i < n; ++i) e[i] = -gate[i0 + i];
        table().exp(e, e, n);
        for (int64_t i = 0; i < n; ++i) {
            const float g = gate[i0 + i];
            h[i0 + i] = g / (1.0f + e[i]) * up[i0 + i];
        }
    }
}

}  // namespace euclid::kernels
