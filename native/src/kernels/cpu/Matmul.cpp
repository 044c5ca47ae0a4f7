// Matrix products over a chunk of tokens, threaded over output rows (FP32, int8 or BF16 activations).
#include <algorithm>

#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Vnni16.h"
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

// Tokens per block: as few blocks as the L2 budget allows (bytes_per_token of activations each), of
// equal size in whole register tiles of `tile` tokens.
int64_t token_block(int64_t n, int64_t bytes_per_token, int64_t tile) {
    const int64_t most = std::max(tile, kTokenBlockBytes / bytes_per_token / tile * tile);
    const int64_t blocks = std::max<int64_t>(1, (n + most - 1) / most);
    return ((n + blocks - 1) / blocks + tile - 1) / tile * tile;
}

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
    const int64_t block = token_block(n, w.cols * int64_t(sizeof(float)), k.tile_tokens);
    pool.parallel_for(w.rows, [&](int, int64_t begin, int64_t end) {
        for (int64_t t = 0; t < n; t += block) {
            rows_fn(out + t * w.rows, w.rows, x + t * w.cols, w, bias, std::min(block, n - t), begin, end);
        }
    });
}

void quantize_activations(ThreadPool& pool, const float* x, int64_t cols, int64_t n, Int8Scratch& scratch) {
    scratch.dequantized_cols = 0;
    const Int8Rows a{scratch.q, scratch.scales, scratch.sums, int8_stride(cols)};
    const auto quantize = table().quantize_int8;
    pool.parallel_for(n, [&](int, int64_t begin, int64_t end) { quantize(x, cols, begin, end, a); });
}

void matmul_int8(ThreadPool& pool, float* out, Int8Scratch& scratch, const Matrix& w, const float* bias, int64_t n) {
    const Int8Rows a{scratch.q, scratch.scales, scratch.sums, int8_stride(w.cols)};
    if (w.vnni16 && table().matmul_groups_int8) {
        // Groups of 16 rows per thread; each group takes every token of a block at once.
        const auto groups_fn = table().matmul_groups_int8;
        const int64_t most = std::max<int64_t>(8, kTokenBlockBytes / a.stride);
        pool.parallel_for(vnni16_groups(w.rows), [&](int, int64_t begin, int64_t end) {
            for (int64_t t = 0; t < n; t += most) groups_fn(out + t * w.rows, w.rows, a.from(t), w, bias, std::min(most, n - t), begin, end);
        });
        return;
    }
    if (!int8_kernel_takes(w.type)) {
        if (scratch.dequantized_cols != w.cols) {
            pool.parallel_for(n, [&](int, int64_t begin, int64_t end) { dequantize_rows(a, w.cols, begin, end, scratch.dequantized); });
            scratch.dequantized_cols = w.cols;
        }
        matmul(pool, out, scratch.dequantized, w, bias, n);
        return;
    }
    // Token blocks as in matmul: a block's quantised rows (bytes, scales, sums: 3 bytes per
    // value) stay in L2 while the weight rows stream past; whole 4-token tiles (AVX-512's; AVX2's
    // are 2).
    const auto rows_fn = table().matmul_rows_int8;
    const int64_t block = token_block(n, 3 * a.stride, 4);
    pool.parallel_for(w.rows, [&](int, int64_t begin, int64_t end) {
        for (int64_t t = 0; t < n; t += block) {
            rows_fn(out + t * w.rows, w.rows, a.from(t), w, bias, std::min(block, n - t), begin, end);
        }
    });
}

void round_activations_bf16(ThreadPool& pool, const float* x, int64_t cols, int64_t n, Bf16Scratch& scratch) {
    scratch.rounded_cols = 0;
    pool.parallel_for(n, [&](int, int64_t begin, int64_t end) { round_rows_bf16(x, cols, begin, end, scratch.bf16); });
}

void matmul_bf16(ThreadPool& pool, float* out, Bf16Scratch& scratch, const Matrix& w, const float* bias, int64_t n) {
    const Bf16Rows a{scratch.bf16, bf16_stride(w.cols)};
    const auto rows_fn = table().matmul_rows_bf16;
    if (!bf16_kernel_takes(w.type) || !rows_fn) {
        if (scratch.rounded_cols != w.cols) {
            pool.parallel_for(n, [&](int, int64_t begin, int64_t end) { widen_rows_bf16(a, w.cols, begin, end, scratch.rounded); });
            scratch.rounded_cols = w.cols;
        }
        matmul(pool, out, scratch.rounded, w, bias, n);
        return;
    }
    // Token blocks as in matmul (a block's BF16 rows stay in L2), in whole tiles: 4 tokens for BF16
    // weights, 8 for FP8 and FP16 (Bf16Avx512.cpp).
    const int64_t block = token_block(n, 2 * a.stride, 8);
    pool.parallel_for(w.rows, [&](int, int64_t begin, int64_t end) {
        for (int64_t t = 0; t < n; t += block) {
            rows_fn(out + t * w.rows, w.rows, Bf16Rows{a.row(t), a.stride}, w, bias, std::min(block, n - t), begin, end);
        }
    });
}

}  // namespace euclid::kernels
