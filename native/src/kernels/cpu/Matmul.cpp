// Matrix products over a chunk of tokens, threaded over output rows.
#include <algorithm>

#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "runtime/ThreadPool.h"

namespace euclid::kernels {

namespace {

// Activations a token block may take: the ISA kernels re-read a block's rows of
// x once per row tile, so the block must stay in the core's L2 (1 MiB on Zen 4
// and 5, 2 MiB on Sapphire Rapids) next to the weight rows streaming through it.
// Without blocking, a 2048-token prefill chunk re-read 7 MiB of x from L3 per
// 4-row tile.
constexpr int64_t kTokenBlockBytes = 256 * 1024;

}  // namespace

void matmul(ThreadPool& pool, float* out, const float* x, const Matrix& w, const float* bias, int64_t n) {
    // Rows are split into contiguous ranges per thread; within a range, tokens
    // go in blocks whose activations fit L2, and the ISA kernel tiles rows x
    // tokens so one pass over a weight row serves several tokens. None of these
    // splits changes any output's reduction order.
    const auto rows_fn = table().matmul_rows;
    const int64_t block = std::max<int64_t>(4, kTokenBlockBytes / (w.cols * int64_t(sizeof(float))) / 4 * 4);
    pool.parallel_for(w.rows, [&](int, int64_t begin, int64_t end) {
        for (int64_t t = 0; t < n; t += block) {
            rows_fn(out + t * w.rows, w.rows, x + t * w.cols, w, bias, std::min(block, n - t), begin, end);
        }
    });
}

}  // namespace euclid::kernels
