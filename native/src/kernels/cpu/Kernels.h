// CPU kernels, one function per mathematical operator (as in llama2.c's run.c).
//
// The matrix products and the dot product are chosen once at start-up from the
// CPU's features (AVX-512, AVX2+FMA, portable; see isa/KernelTable.h), so a build
// runs on any x86-64 without SIGILL. Each output element is reduced in a fixed
// order that does not depend on the batch size or the thread count.
#pragma once

#include <cstdint>

#include "kernels/cpu/Bf16Rows.h"
#include "kernels/cpu/Int8Rows.h"
#include "kernels/cpu/Matrix.h"

namespace euclid {

class ThreadPool;

namespace kernels {

// sum_i a[i] * b[i]
float dot(const float* a, const float* b, int64_t n);

// Name of the dispatched instruction set: "avx512", "avx2" or "scalar".
const char* isa();

struct KernelTable;
// The kernels of the dispatched instruction set.
const KernelTable& table();

// One of the matrix products of an input: out = w . input (+ bias).
struct Product {
    float* out;
    const Matrix* w;
    const float* bias;  // or null
};

// Most products one call multiplies together (a layer's Q, K and V).
constexpr int kMaxProducts = 3;

// out[t][r] = w[r] . x[t] (+ bias[r]) for t < n and every row r of w, threaded
// over rows. x is (n, w.cols) and out (n, w.rows), both row-major.
void matmul(ThreadPool& pool, float* out, const float* x, const Matrix& w, const float* bias, int64_t n);
// The same for up to kMaxProducts matrices of one width that share the input x, as one parallel loop
// over all their rows: one hand-off and one wait for the last chunk instead of one per matrix (at batch 1
// a step's ~200 loops cost 5% of the qwen0.5b shape's products). Each output is computed as alone.
void matmul(ThreadPool& pool, const float* x, const Product* products, int count, int64_t n);

// Scratch for the int8 activations of up to T tokens of up to C columns: q T * int8_stride(C)
// bytes, scales T * int8_stride(C) / 32 entries, sums T * int8_stride(C) / 16, dequantized T * C floats.
struct Int8Scratch {
    int8_t* q;
    float* scales;
    int32_t* sums;
    float* dequantized;
    // Columns of the rows `dequantized` holds for the current input (0: none yet), so the products of
    // one input that need them dequantise once.
    int64_t dequantized_cols;
};

// Whether this CPU multiplies `weights` (a WeightType) by `activations` (an ActivationType) with a kernel
// of their own rather than through the FP32 kernels (euclid.h's activations_kernel): INT8 activations
// take a 16-row copy (vnni16_copy_wanted) or the portable int8 row kernel (int8_kernel_takes).
bool has_kernel(int32_t weights, int32_t activations);

// Whether a matrix of type `weights` gets a copy in the VNNI layout (Vnni16.h) for INT8 activations:
// where the CPU has the groups kernel and the layout takes the type. matmul_int8 takes a matrix's copy
// whenever it has one.
bool vnni16_copy_wanted(int32_t weights);

// Quantises n rows of x (cols wide) into scratch for the matmul_int8 calls that follow (ACTIVATIONS_INT8,
// euclid.h): several products of one input quantise it once.
void quantize_activations(ThreadPool& pool, const float* x, int64_t cols, int64_t n, Int8Scratch& scratch);

// matmul of the activations quantize_activations left in scratch (w.cols wide): int8 dot products
// for a matrix with a 16-row copy (w.vnni16) and for the formats the portable int8 row kernel takes
// (int8_kernel_takes), else the dequantised activations
// through matmul (dequantised once per input). Bit-identical across thread counts and token counts.
void matmul_int8(ThreadPool& pool, float* out, Int8Scratch& scratch, const Matrix& w, const float* bias, int64_t n);
// The same for up to kMaxProducts matrices of one width: one parallel loop when they share a format.
void matmul_int8(ThreadPool& pool, Int8Scratch& scratch, const Product* products, int count, int64_t n);

// Scratch for the BF16 activations of up to T tokens of up to C columns: bf16 T * bf16_stride(C)
// values, rounded T * C floats (the same values, for the products without a BF16 kernel).
struct Bf16Scratch {
    uint16_t* bf16;
    float* rounded;
    // Columns of the rows `rounded` holds for the current input (0: none yet), so the products of
    // one input that need them widen once, and those with a BF16 kernel never.
    int64_t rounded_cols;
};

// Rounds n rows of x (cols wide) to BF16 into scratch for the matmul_bf16 calls that follow
// (ACTIVATIONS_BF16, euclid.h): several products of one input round it once.
void round_activations_bf16(ThreadPool& pool, const float* x, int64_t cols, int64_t n, Bf16Scratch& scratch);

// matmul of the activations round_activations_bf16 left in scratch (w.cols wide): BF16 dot products for
// BF16 weights where the CPU has them (KernelTable::matmul_rows_bf16), else the rounded activations
// as floats through matmul (widened once per input). Bit-identical across thread counts and token counts.
void matmul_bf16(ThreadPool& pool, float* out, Bf16Scratch& scratch, const Matrix& w, const float* bias, int64_t n);
// The same for up to kMaxProducts matrices of one width: one parallel loop when they share a format.
void matmul_bf16(ThreadPool& pool, Bf16Scratch& scratch, const Product* products, int count, int64_t n);

// o = x * w / sqrt(mean(x^2) + eps)
void rmsnorm(float* o, const float* x, const float* w, int64_t size, float eps);

// In-place softmax over x[0, size).
void softmax(float* x, int64_t size);

// Rotates each head of vec (n_heads * head_dim) by position pos: pair j turns by
// pos * inv_freq[j], and both components are multiplied by scale (YaRN's
// attention factor; 1 leaves the rotation exact).
void rope(float* vec, int64_t n_heads, int64_t head_dim, int64_t pos, const float* inv_freq, float scale,
          bool half_layout);

// h = silu(gate) * up, element-wise.
void swiglu(float* h, const float* gate, const float* up, int64_t size);

}  // namespace kernels
}  // namespace euclid
