// Matrix products over a chunk of tokens, threaded over output rows.
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "runtime/ThreadPool.h"

namespace euclid::kernels {

void matmul(ThreadPool& pool, float* out, const float* x, const Matrix& w, const float* bias, int64_t n) {
    // Rows are split into contiguous ranges per thread; within a range the ISA
    // kernel tiles rows x tokens so one pass over a weight row serves several
    // tokens. Neither split changes any output's reduction order.
    const auto rows_fn = table().matmul_rows;
    pool.parallel_for(w.rows, [&](int, int64_t begin, int64_t end) { rows_fn(out, w.rows, x, w, bias, n, begin, end); });
}

}  // namespace euclid::kernels
