// The instruction-set-specific kernels. Each ISA lives in its own translation
// unit compiled with that ISA's flags and is called only after CPUID says the
// CPU has it; those files use no inline library code (no STL) so nothing built
// for AVX-512 can be shared with, and leak into, baseline code.
//
// Reduction order (the batch-invariance contract): every (row, token) output is
// one accumulator of the ISA's width, fed k = 0, W, 2W, ... in order (masked tail
// last), then reduced lane-wise in a fixed tree, then multiplied by the row scale,
// then the bias is added. Row tiling, token tiling and thread splits only change
// which outputs are computed together, never how one is computed.
#pragma once

#include <cstdint>

#include "kernels/cpu/Bf16Rows.h"
#include "kernels/cpu/Int8Rows.h"
#include "kernels/cpu/Matrix.h"

namespace euclid::kernels {

// Software prefetch (decode). A row tile streams R rows at once, and rows are
// short (one to a few KiB), so the hardware prefetcher sees R short streams
// and mostly waits on demand misses: the FP8 matrix-vector product read 16 GB/s
// on 2 threads against 30+ with FP16. While a tile runs, the first token tile
// therefore prefetches the same columns of the rows at least this many bytes
// ahead (the next tile's rows, into L2), once per cache line: FP8 then reads
// 25-33 GB/s in the same micro-benchmark.
constexpr int64_t kPrefetchAheadBytes = 4096;

// Elements between two prefetches of a row: the most (a power of two, at least one step of
// `step` elements) whose bytes fit one cache line, so that every line is prefetched at least once
// (block formats' lines do not start at whole steps).
constexpr int64_t prefetch_stride(int32_t type, int64_t step) {
    int64_t p = step;
    while (weight_row_bytes(type, 2 * p) <= 64) p *= 2;
    return p;
}

struct KernelTable {
    const char* name;
    // Tokens matmul_rows computes together in one register tile: token blocks that are
    // multiples of it leave no partial tiles.
    int64_t tile_tokens;
    // sum_i a[i] * b[i] over FP32 vectors (attention, norms).
    float (*dot)(const float* a, const float* b, int64_t n);
    // Attention over `rows` K or V rows (b or x, `stride` floats apart) for m query heads sharing
    // them (grouped-query attention reads each row once for all):
    // out[i * out_stride + r] = dot(a + i * a_stride, b + r * b_stride, n) * scale, exactly as `dot`;
    void (*dots)(const float* a, int64_t a_stride, int64_t m, const float* b, int64_t b_stride, int64_t rows,
                 int64_t n, float scale, float* out, int64_t out_stride);
    // y[i * y_stride + j] += s[i * s_stride + r] * x[r * x_stride + j] for r = 0, 1, ... in order, each
    // product rounded before the add (no FMA), so every ISA gives what the portable loop gives.
    void (*axpys)(float* y, int64_t y_stride, int64_t m, const float* s, int64_t s_stride, const float* x,
                  int64_t x_stride, int64_t rows, int64_t n);
    // out[t * out_stride + r] = scale[r] * (w[r] . x[t]) + bias[r] for t < n, r in [r0, r1).
    void (*matmul_rows)(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias,
                        int64_t n, int64_t r0, int64_t r1);
    // out[i] = expf(in[i]) for i < n, bit for bit (out may be in).
    void (*exp)(float* out, const float* in, int64_t n);
    // out[i] = the IEEE half in[i] as a float, exactly (FP16 KV rows for attention).
    void (*half_to_float)(const uint16_t* in, float* out, int64_t n);
    // quantize_rows (Int8Rows.h), bit for bit.
    void (*quantize_int8)(const float* x, int64_t cols, int64_t t0, int64_t t1, const Int8Rows& out);
    // The int8-activation product of a matrix with its 16-row copy (w.vnni16: INT8, FP8, Q4_0, Q4_1,
    // NVFP4, MXFP4) over row groups [g0, g1) of 16, with AVX-512 VNNI or AVX2; null on the portable
    // path. Per output: each 32-column block's exact integer dot product, converted, times the block's
    // scales, added in block order; then times the row scale plus the bias in one rounding (both
    // kernels give the same bits).
    void (*matmul_groups_int8)(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                               int64_t n, int64_t g0, int64_t g1);
    // BF16, FP8, MXFP8 or FP16 weights times BF16 activations (ACTIVATIONS_BF16) over rows [r0, r1):
    // FP16 weights rounded to BF16 (to nearest even), BF16, FP8 and MXFP8 ones exact; pairs of
    // exact products summed into FP32 lanes, 32 columns per step in order, lanes summed, times the
    // row scale plus the bias; null where the CPU lacks AVX-512 BF16 (BF16 activations then go
    // through matmul_rows as floats).
    void (*matmul_rows_bf16)(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t r0, int64_t r1);
};

KernelTable scalar_kernels();
KernelTable avx2_kernels();
KernelTable avx512_kernels();

// The Q4_0/Q4_1 products (isa/Q4*.cpp) each ISA's matmul_rows hands Q4 matrices to
// (the portable one reads Q4 weights one at a time in Scalar.cpp).
void matmul_rows_q4_avx512(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias,
                           int64_t n, int64_t r0, int64_t r1);
void matmul_rows_q4_avx2(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias,
                         int64_t n, int64_t r0, int64_t r1);

// The int8-activation products (Int8*.cpp): over the 16-row copies with AVX-512 VNNI or AVX2 (every
// AVX2 and AVX-512 CPU makes them for the formats those take), and row by row in portable code for
// matrices without a copy (the portable path makes none): per (row, token), each 32-value block's
// exact integer dot product, converted to FP32, times its blocks' scales, added to one FP32 sum in
// block order; then times the row scale (NVFP4: the tensor scale) plus the bias.
void quantize_rows_avx512(const float* x, int64_t cols, int64_t t0, int64_t t1, const Int8Rows& out);
void matmul_groups_int8_vnni(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t g0, int64_t g1);
void matmul_groups_int8_avx2(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t g0, int64_t g1);
void matmul_rows_bf16_avx512(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t r0, int64_t r1);
void matmul_rows_int8_scalar(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t r0, int64_t r1);

// Whether matmul_rows_int8_scalar takes this weight format (the others multiply dequantised activations
// unless they have a VNNI copy: FP8).
constexpr bool int8_kernel_takes(int32_t type) {
    return type == WEIGHTS_INT8 || type == WEIGHTS_Q4_0 || type == WEIGHTS_Q4_1 || type == WEIGHTS_NVFP4 ||
           type == WEIGHTS_MXFP4;
}

// Whether matmul_rows_bf16 takes this weight format: those whose values BF16 holds exactly, and FP16
// (rounded to BF16: the products' precision with BF16 activations).
constexpr bool bf16_kernel_takes(int32_t type) {
    return type == WEIGHTS_BF16 || type == WEIGHTS_FP8 || type == WEIGHTS_MXFP8 || type == WEIGHTS_F16;
}

// The exp entries: the C library's expf one element at a time (Scalar.cpp, baseline
// code), and the AVX-512 replica of glibc's (Avx512Exp.cpp).
void exp_libm(float* out, const float* in, int64_t n);
void exp_avx512(float* out, const float* in, int64_t n);

}  // namespace euclid::kernels
