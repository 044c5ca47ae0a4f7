// Matrix products over a chunk of tokens, threaded over output rows (FP32, int8 or BF16 activations).
#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

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

// The products' shared width; throws unless they are 1 to kMaxProducts matrices of one width.
int64_t shared_cols(const Product* p, int count) {
    if (count < 1 || count > kMaxProducts) throw std::logic_error("matrix products of " + std::to_string(count) + " matrices");
    for (int i = 1; i < count; ++i) {
        if (p[i].w->cols != p[0].w->cols) throw std::logic_error("matrix products of one input in different widths");
    }
    return p[0].w->cols;
}

// Whether the products share one format (and VNNI copy or none), so one kernel takes them all. A GGUF
// file's mix (Q4_K beside Q6_K: q4_1 beside int8) does not.
bool one_format(const Product* p, int count) {
    for (int i = 1; i < count; ++i) {
        if (p[i].w->type != p[0].w->type || !p[i].w->vnni16 != !p[0].w->vnni16) return false;
    }
    return true;
}

// Runs fn(product, begin, end) over the products' units (units(matrix) each: rows, or VNNI groups of
// rows) as one parallel loop; a chunk that spans two products runs a piece of each.
template <typename Units, typename Fn>
void for_units(ThreadPool& pool, const Product* p, int count, Units units, const Fn& fn) {
    std::array<int64_t, kMaxProducts + 1> start{};
    for (int i = 0; i < count; ++i) start[i + 1] = start[i] + units(*p[i].w);
    pool.parallel_for(start[count], [&](int, int64_t begin, int64_t end) {
        for (int i = 0; i < count; ++i) {
            const int64_t lo = std::max(begin, start[i]), hi = std::min(end, start[i + 1]);
            if (lo < hi) fn(p[i], lo - start[i], hi - start[i]);
        }
    });
}

int64_t rows_of(const Matrix& w) { return w.rows; }

}  // namespace

void matmul(ThreadPool& pool, const float* x, const Product* products, int count, int64_t n) {
    // Rows are split into contiguous ranges per thread; within a range, tokens
    // go in blocks whose activations fit L2, and the ISA kernel tiles rows x
    // tokens so one pass over a weight row serves several tokens. None of these
    // splits changes any output's reduction order.
    const int64_t cols = shared_cols(products, count);
    const KernelTable& k = table();
    const auto rows_fn = k.matmul_rows;
    // As few blocks as the budget allows, of equal size in whole register tiles:
    // 48 tokens of 2048 columns went as 32 + 16, which left a 2-token tile (AVX-512
    // tiles are 6 tokens), and 24 + 24 ran the 1B FP8 decode step at 71% of the FMA
    // peak instead of 68% (native/bench, one thread).
    const int64_t block = token_block(n, cols * int64_t(sizeof(float)), k.tile_tokens);
    for_units(pool, products, count, rows_of, [&](const Product& p, int64_t begin, int64_t end) {
        for (int64_t t = 0; t < n; t += block) {
            rows_fn(p.out + t * p.w->rows, p.w->rows, x + t * cols, *p.w, p.bias, std::min(block, n - t), begin, end);
        }
    });
}

void matmul(ThreadPool& pool, float* out, const float* x, const Matrix& w, const float* bias, int64_t n) {
    const Product p{out, &w, bias};
    matmul(pool, x, &p, 1, n);
}

void quantize_activations(ThreadPool& pool, const float* x, int64_t cols, int64_t n, Int8Scratch& scratch) {
    scratch.dequantized_cols = 0;
    const Int8Rows a{scratch.q, scratch.scales, scratch.sums, int8_stride(cols)};
    const auto quantize = table().quantize_int8;
    pool.parallel_for(n, [&](int, int64_t begin, int64_t end) { quantize(x, cols, begin, end, a); });
}

void matmul_int8(ThreadPool& pool, Int8Scratch& scratch, const Product* products, int count, int64_t n) {
    const int64_t cols = shared_cols(products, count);
    const Int8Rows a{scratch.q, scratch.scales, scratch.sums, int8_stride(cols)};
    if (!one_format(products, count)) {
        for (int i = 0; i < count; ++i) matmul_int8(pool, scratch, products + i, 1, n);
        return;
    }
    const Matrix& w = *products[0].w;  // the products share its format
    const auto groups_fn = table().matmul_groups_int8;
    if (w.vnni16 && groups_fn) {
        // Groups of 16 rows per thread; each group takes every token of a block at once.
        const int64_t most = std::max<int64_t>(8, kTokenBlockBytes / a.stride);
        for_units(pool, products, count, [](const Matrix& m) { return vnni16_groups(m.rows); },
                  [&](const Product& p, int64_t begin, int64_t end) {
                      for (int64_t t = 0; t < n; t += most) {
                          groups_fn(p.out + t * p.w->rows, p.w->rows, a.from(t), *p.w, p.bias, std::min(most, n - t), begin, end);
                      }
                  });
        return;
    }
    if (!int8_kernel_takes(w.type)) {
        if (scratch.dequantized_cols != cols) {
            pool.parallel_for(n, [&](int, int64_t begin, int64_t end) { dequantize_rows(a, cols, begin, end, scratch.dequantized); });
            scratch.dequantized_cols = cols;
        }
        matmul(pool, scratch.dequantized, products, count, n);
        return;
    }
    // Token blocks as in matmul: a block's quantised rows (bytes, scales, sums: 3 bytes per
    // value) stay in L2 while the weight rows stream past.
    const int64_t block = token_block(n, 3 * a.stride, 1);
    for_units(pool, products, count, rows_of, [&](const Product& p, int64_t begin, int64_t end) {
        for (int64_t t = 0; t < n; t += block) {
            matmul_rows_int8_scalar(p.out + t * p.w->rows, p.w->rows, a.from(t), *p.w, p.bias, std::min(block, n - t), begin, end);
        }
    });
}

void matmul_int8(ThreadPool& pool, float* out, Int8Scratch& scratch, const Matrix& w, const float* bias, int64_t n) {
    const Product p{out, &w, bias};
    matmul_int8(pool, scratch, &p, 1, n);
}

void round_activations_bf16(ThreadPool& pool, const float* x, int64_t cols, int64_t n, Bf16Scratch& scratch) {
    scratch.rounded_cols = 0;
    pool.parallel_for(n, [&](int, int64_t begin, int64_t end) { round_rows_bf16(x, cols, begin, end, scratch.bf16); });
}

void matmul_bf16(ThreadPool& pool, Bf16Scratch& scratch, const Product* products, int count, int64_t n) {
    const int64_t cols = shared_cols(products, count);
    const Bf16Rows a{scratch.bf16, bf16_stride(cols)};
    if (!one_format(products, count)) {
        for (int i = 0; i < count; ++i) matmul_bf16(pool, scratch, products + i, 1, n);
        return;
    }
    const auto rows_fn = table().matmul_rows_bf16;
    if (!rows_fn || !bf16_kernel_takes(products[0].w->type)) {  // the products share its format
        if (scratch.rounded_cols != cols) {
            pool.parallel_for(n, [&](int, int64_t begin, int64_t end) { widen_rows_bf16(a, cols, begin, end, scratch.rounded); });
            scratch.rounded_cols = cols;
        }
        matmul(pool, scratch.rounded, products, count, n);
        return;
    }
    // Token blocks as in matmul (a block's BF16 rows stay in L2), in whole tiles: 4 tokens for BF16
    // weights, 8 for FP8 and FP16 (Bf16Avx512.cpp).
    const int64_t block = token_block(n, 2 * a.stride, 8);
    for_units(pool, products, count, rows_of, [&](const Product& p, int64_t begin, int64_t end) {
        for (int64_t t = 0; t < n; t += block) {
            rows_fn(p.out + t * p.w->rows, p.w->rows, Bf16Rows{a.row(t), a.stride}, *p.w, p.bias, std::min(block, n - t), begin, end);
        }
    });
}

void matmul_bf16(ThreadPool& pool, float* out, Bf16Scratch& scratch, const Matrix& w, const float* bias, int64_t n) {
    const Product p{out, &w, bias};
    matmul_bf16(pool, scratch, &p, 1, n);
}

}  // namespace euclid::kernels
