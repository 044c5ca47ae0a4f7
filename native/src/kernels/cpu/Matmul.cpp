// Matrix products over a chunk of tokens, threaded over output rows.
#include "kernels/cpu/Kernels.h"
#include "runtime/ThreadPool.h"

namespace euclid::kernels {

void matmul(ThreadPool& pool, float* out, const float* x, const float* w, const float* bias,
            int64_t n, int64_t rows, int64_t cols) {
    // Rows outer, tokens inner: one weight row is read from memory once and
    // reused from L1 for every token of the chunk. Each (token, row) is one
    // dot() call, so the result is the same for any chunk size or split.
    pool.parallel_for(rows, [=](int, int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const float* wr = w + r * cols;
            const float b = bias ? bias[r] : 0.0f;
            for (int64_t t = 0; t < n; ++t) out[t * rows + r] = dot(wr, x + t * cols, cols) + b;
        }
    });
}

}  // namespace euclid::kernels
