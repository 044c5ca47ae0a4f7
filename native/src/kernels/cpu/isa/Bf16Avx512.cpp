// BF16, FP8, MXFP8 and FP16 weights times BF16-rounded activations (ACTIVATIONS_BF16) with AVX-512
// BF16: one vdpbf16ps multiplies 16 pairs of a row's weights by a token's activations (each product
// exact in FP32) and adds each pair's sum to one of 16 FP32 lanes, so a 32-column step costs one
// instruction per (row, token) where the FP32 kernels widen the weights and take two FMAs. FP8 (E4M3)
// weights are widened to BF16 in registers, exactly: BF16 holds every E4M3 value, subnormals
// included; MXFP8 blocks the same way with their power-of-two scale added to the exponents, exactly
// too. FP16 weights are rounded to BF16 in registers (to nearest even): the products then cost what
// BF16's do, at BF16's precision on both sides.
// Per output: one accumulator fed k = 0, 32, 64, ... in order (the tail masked), its lanes summed
// in hsum's fixed order (Avx512Tile.h), times the row scale plus the bias in one rounding.
// vdpbf16ps treats BF16 subnormals as zero and rounds to nearest even whatever MXCSR says; E4M3
// values widen to normal BF16 numbers, so no weight is lost to that.
#include <immintrin.h>

#include "kernels/cpu/isa/Avx512Tile.h"
#include "kernels/cpu/isa/Q4Tiles.h"
#include "quant/Mx.h"

namespace euclid::kernels {
namespace {

// BF16 bits of the E4M3 subnormals m * 2^-9 (m = 0..7), indexed by m; vpermw reads 32 entries.
alignas(64) const uint16_t kE4m3SubnormalBf16[32] = {0x0000, 0x3B00, 0x3B80, 0x3BC0, 0x3C00, 0x3C20, 0x3C40, 0x3C60};

// 32 E4M3 bytes as BF16. A normal E4M3 number keeps its 3 mantissa bits and its exponent moves
// from bias 7 to bias 127 (add 120 to the field); exponent 0 (subnormals and zero) is looked up.
inline __m512i e4m3_to_bf16(__m256i bytes) {
    const __m512i x = _mm512_cvtepi8_epi16(bytes);  // the sign fills bits 15..7
    const __m512i field = _mm512_and_si512(_mm512_slli_epi16(x, 4), _mm512_set1_epi16(0x07F0));  // exponent, mantissa
    __m512i v = _mm512_add_epi16(field, _mm512_set1_epi16(120 << 7));
    const __mmask32 subnormal = _mm512_cmplt_epu16_mask(field, _mm512_set1_epi16(1 << 7));
    // vpermw indexes with each word's low 5 bits: the mantissa where the exponent is 0.
    v = _mm512_mask_permutexvar_epi16(v, subnormal, x, _mm512_load_si512(kE4m3SubnormalBf16));
    return _mm512_ternarylogic_epi32(v, x, _mm512_set1_epi16(static_cast<short>(0x8000)), 0xF8);  // v | (x & sign)
}

// An MXFP8 block's 32 values as BF16: its E4M3 bytes widened as FP8's, times the block's scale
// 2^(e - 127) by adding e - 127 to each nonzero value's exponent field. Widened E4M3 values have
// fields 118 (2^-9) to 135 (448), so for e in [10, 246] every result is a normal BF16 number and the
// values are exact. A block scaled outside that range (no converter makes one from real weights) is
// multiplied in FP32 and rounded to BF16, where vdpbf16ps counts what falls below BF16's normal range
// as zero.
inline __m512i mxfp8_to_bf16(const uint8_t* block) {
    const __m512i v = e4m3_to_bf16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + 1)));
    const int e = block[0];
    if (e >= 10 && e <= 246) {
        const __mmask32 nonzero = _mm512_test_epi16_mask(v, _mm512_set1_epi16(0x7FFF));
        return _mm512_mask_add_epi16(v, nonzero, v, _mm512_set1_epi16(static_cast<short>((e - 127) * 128)));
    }
    // E8M0 as a float: e at the exponent field; 0 is 2^-127 (a float subnormal), 255 NaN.
    const uint32_t bits = e == 255 ? 0x7FC00000u : e == 0 ? 0x00400000u : static_cast<uint32_t>(e) << 23;
    float s;
    __builtin_memcpy(&s, &bits, sizeof s);
    const __m512 scale = _mm512_set1_ps(s);
    const __m512 lo = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_castsi512_si256(v)), 16));
    const __m512 hi = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(v, 1)), 16));
    return (__m512i)_mm512_cvtne2ps_pbh(_mm512_mul_ps(hi, scale), _mm512_mul_ps(lo, scale));
}

// 32 halves as BF16, each rounded to nearest even: FP16's 10 mantissa bits become BF16's 7 (the
// exponent always fits), the precision BF16 activations already have.
inline __m512i f16_to_bf16(const uint8_t* at, __mmask32 m) {
    const __m512 lo = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(static_cast<__mmask16>(m), at));
    const __m512 hi = _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(static_cast<__mmask16>(m >> 16), at + 32));
    return (__m512i)_mm512_cvtne2ps_pbh(hi, lo);
}

// FP8, MXFP8 or FP16 rows already widened to BF16 in a panel (panel_rows): loaded as BF16, and FP8's
// times its row scale.
constexpr int kWidenedFp8 = -1, kWidenedBf16 = -2;

template <int TYPE>
constexpr int kWidened = TYPE == WEIGHTS_FP8 ? kWidenedFp8 : kWidenedBf16;

// Bytes from a row's start to column k (a multiple of 32), and of a row of `cols` columns.
template <int TYPE>
constexpr int64_t byte_of_column(int64_t k) {
    return TYPE == WEIGHTS_FP8 ? k : TYPE == WEIGHTS_MXFP8 ? k / kMxBlockValues * int64_t(sizeof(Mxfp8Block)) : 2 * k;
}
template <int TYPE>
constexpr int64_t row_bytes(int64_t cols) {
    return TYPE < 0 ? 2 * cols : weight_row_bytes(TYPE, cols);
}

// Columns [k, k + 32) of a row as BF16 (m: those inside the row; zero outside).
template <int TYPE>
inline __m512bh load_w(const uint8_t* row, int64_t k, __mmask32 m) {
    const bool whole = m == __mmask32(0xFFFFFFFFu);
    if constexpr (TYPE == WEIGHTS_MXFP8) {
        return (__m512bh)mxfp8_to_bf16(row + byte_of_column<TYPE>(k));  // a whole block: the last is zero-padded
    } else if constexpr (TYPE == WEIGHTS_FP8) {
        const __m256i bytes = whole ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + k))
                                    : _mm256_maskz_loadu_epi8(m, row + k);
        return (__m512bh)e4m3_to_bf16(bytes);
    } else if constexpr (TYPE == WEIGHTS_F16) {
        return (__m512bh)f16_to_bf16(row + 2 * k, m);
    } else {
        return (__m512bh)(whole ? _mm512_loadu_si512(row + 2 * k) : _mm512_maskz_loadu_epi16(m, row + 2 * k));
    }
}

// R rows x T tokens of outputs, one accumulator each. BF16 weights load straight into the products:
// 4 x 4 was fastest (48 tokens of the qwen0.5b shape: 1.16x the 3 x 8 tile, 1.35x the 2 x 8). FP8 weights
// take 7 instructions to widen per 32 columns, so each widened vector should feed more tokens: 2 x 8
// ran the 48-token step in 137 ms against 4 x 4's 167-199, 4 x 6's 147-158, 3 x 8's 141 and
// 1 x 16's 253 (native/bench, 2 threads, Zen 4). FP16 weights (3 conversions per 32 columns): 3 x 8
// ran it in 121-124 ms against 2 x 8's 144-145 and 4 x 4's 151-156.
template <int ROWS, int TOKENS>
struct Tile {
    static constexpr int kRows = ROWS, kTokens = TOKENS;

    // Columns [k, k + 32) of R rows (m: those inside the row) for T tokens.
    template <int TYPE, int R, int T>
    static inline void step(__m512 (&acc)[R][T], const uint8_t* const (&rows)[R], const Bf16Rows& a, int64_t t, int64_t k,
                            int64_t ahead, __mmask32 m) {
        __m512bh x[T];
        #pragma GCC unroll 16
        for (int j = 0; j < T; ++j) x[j] = (__m512bh)_mm512_loadu_si512(a.row(t + j) + k);  // zero-padded rows
        #pragma GCC unroll 16
        for (int i = 0; i < R; ++i) {
            if (ahead) _mm_prefetch(reinterpret_cast<const char*>(rows[i] + byte_of_column<TYPE>(k) + ahead), _MM_HINT_T1);
            const __m512bh wv = load_w<TYPE>(rows[i], k, m);
            #pragma GCC unroll 16
            for (int j = 0; j < T; ++j) acc[i][j] = _mm512_dpbf16_ps(acc[i][j], wv, x[j]);
        }
    }

    template <int TYPE, int R, int T>
    static void run(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias, int64_t r,
                    int64_t t) {
        const int64_t cols = w.cols, stride = row_bytes<TYPE>(cols);
        const uint8_t* rows[R];
        #pragma GCC unroll 16
        for (int i = 0; i < R; ++i) rows[i] = w.data + (r + i) * stride;
        // Decode streams R short rows: the first token tile prefetches the next rows (q4::prefetch_ahead).
        const int64_t ahead = TYPE < 0 ? 0 : q4::prefetch_ahead(stride, R, t);
        __m512 acc[R][T];
        #pragma GCC unroll 16
        for (int i = 0; i < R; ++i)
            #pragma GCC unroll 16
            for (int j = 0; j < T; ++j) acc[i][j] = _mm512_setzero_ps();
        int64_t k = 0;
        for (; k + 32 <= cols; k += 32) step<TYPE, R, T>(acc, rows, a, t, k, ahead, __mmask32(0xFFFFFFFFu));
        if (k < cols) step<TYPE, R, T>(acc, rows, a, t, k, 0, static_cast<__mmask32>((1u << (cols - k)) - 1));
        alignas(16) float mult[4] = {0.0f, 0.0f, 0.0f, 0.0f}, add[4] = {0.0f, 0.0f, 0.0f, 0.0f};
        for (int i = 0; i < R; ++i) {
            mult[i] = TYPE == WEIGHTS_FP8 || TYPE == kWidenedFp8 ? w.scales[r + i] : 1.0f;
            add[i] = bias ? bias[r + i] : 0.0f;
        }
        const avx512::RowAffine affine{_mm512_broadcast_f32x4(_mm_load_ps(mult)), _mm512_broadcast_f32x4(_mm_load_ps(add))};
        avx512::store_tile<R, T>(out + t * out_stride + r, out_stride, acc, affine);
    }
};

// Per-thread room for 4 widened rows (grown, never shrunk; freed with the thread).
struct Panel {
    uint16_t* data = nullptr;
    int64_t size = 0;

    uint16_t* at_least(int64_t values) {
        if (values > size) {
            delete[] data;
            data = new uint16_t[values];
            size = values;
        }
        return data;
    }
    ~Panel() { delete[] data; }
};

// FP8, MXFP8 or FP16 rows [r0, r1) for many tokens: each tile of 4 rows is widened to BF16 once, into a
// per-thread panel, and then multiplied like BF16 weights by every 4 x 4 token tile. The panel holds
// what load_w<TYPE> gives, and the products and their order are those of TYPE's own tile, so the
// outputs are the same bits; but each row is widened once instead of once per token tile (48 tokens
// of the qwen0.5b shape, FP8: 6 times): that step took 114 ms against 137-143 (native/bench, 2
// threads, Zen 4), BF16 weights' 107-111.
template <int TYPE, int R>
void panel_tile(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias, int64_t n,
                int64_t r, uint16_t* panel) {
    const int64_t cols = w.cols, stride = row_bytes<TYPE>(cols);
    const int64_t ahead = q4::prefetch_ahead(stride, R, 0);
    for (int i = 0; i < R; ++i) {
        const uint8_t* row = w.data + (r + i) * stride;
        uint16_t* dst = panel + i * cols;
        for (int64_t k = 0; k < cols; k += 32) {
            const int64_t left = cols - k;
            const __mmask32 m = left >= 32 ? __mmask32(0xFFFFFFFFu) : static_cast<__mmask32>((1u << left) - 1);
            _mm_prefetch(reinterpret_cast<const char*>(row + byte_of_column<TYPE>(k) + ahead), _MM_HINT_T1);
            _mm512_mask_storeu_epi16(dst + k, m, (__m512i)load_w<TYPE>(row, k, m));
        }
    }
    Matrix widened = w;
    widened.data = reinterpret_cast<const uint8_t*>(panel);
    widened.scales = w.scales ? w.scales + r : nullptr;
    q4::tokens<Tile<4, 4>, kWidened<TYPE>, R>(out + r, out_stride, a, widened, bias ? bias + r : nullptr, n, 0);
}

// Below this many tokens each weight is widened in registers for at most 8 tokens anyway.
constexpr int64_t kPanelTokens = 16;

template <int TYPE>
void panel_rows(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias, int64_t n,
                int64_t r0, int64_t r1) {
    static thread_local Panel panel;
    uint16_t* room = panel.at_least(4 * w.cols);
    int64_t r = r0;
    for (; r + 4 <= r1; r += 4) panel_tile<TYPE, 4>(out, out_stride, a, w, bias, n, r, room);
    switch (r1 - r) {
        case 3: panel_tile<TYPE, 3>(out, out_stride, a, w, bias, n, r, room); break;
        case 2: panel_tile<TYPE, 2>(out, out_stride, a, w, bias, n, r, room); break;
        case 1: panel_tile<TYPE, 1>(out, out_stride, a, w, bias, n, r, room); break;
        default: break;
    }
}

// Weights widened on the way in: a panel from kPanelTokens tokens, else SMALL's tile in registers.
template <int TYPE, class SMALL>
void widened_rows(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias, int64_t n,
                  int64_t r0, int64_t r1) {
    if (n >= kPanelTokens) {
        panel_rows<TYPE>(out, out_stride, a, w, bias, n, r0, r1);
    } else {
        q4::rows_typed<SMALL, TYPE>(out, out_stride, a, w, bias, n, r0, r1);
    }
}

}  // namespace

void matmul_rows_bf16_avx512(float* out, int64_t out_stride, const Bf16Rows& a, const Matrix& w, const float* bias,
                             int64_t n, int64_t r0, int64_t r1) {
    switch (w.type) {
        case WEIGHTS_FP8: widened_rows<WEIGHTS_FP8, Tile<2, 8>>(out, out_stride, a, w, bias, n, r0, r1); break;
        case WEIGHTS_MXFP8: widened_rows<WEIGHTS_MXFP8, Tile<2, 8>>(out, out_stride, a, w, bias, n, r0, r1); break;
        case WEIGHTS_F16: widened_rows<WEIGHTS_F16, Tile<3, 8>>(out, out_stride, a, w, bias, n, r0, r1); break;
        default: q4::rows_typed<Tile<4, 4>, WEIGHTS_BF16>(out, out_stride, a, w, bias, n, r0, r1); break;
    }
}

}  // namespace euclid::kernels
