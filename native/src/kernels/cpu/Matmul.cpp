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
    const KernelTable& k = table();
    const auto rows_fn = k.matmul_rows;
    // As few blocks as the budget allows, of equal size in whole register tiles:
    // 48 tokens of 2048 columns went as 32 + 16, which left a 2-token tile (AVX-512
    // tiles are 6 tokens), and 24 + 24 ran the 1B FP8 decode step at 71% of the FMA
    // peak instead of 68% (native/bench, one thread).
    const int64_t tile = k.tile_tokens;
    const int64_t most = std::max(tile, kTokenBlockBytes / (w.cols * int64_t(sizeof(float))) / tile * tile);
    const int64_t blocks = std::max<int64_t>(1, (n + most - 1) / most);
    const int64_t block = ((n + blocks - 1) / blocks + tile - 1) / tile * tile;
    pool.parallel_for(w.rows, [&](int, int64_t begin, int64_t end) {
        for (int64_t t = 0; t < n; t += block) {
            rows_fn(out + t * w.rows, w.rows, x + t * w.cols, w, bias, std::min(block, n - t), begin, end);
        }
    });
}

}  // namespace euclid::kernels
