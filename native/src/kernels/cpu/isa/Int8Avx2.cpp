// Int8-activation products with AVX2, one 32-value block per step: vpmaddubsw multiplies
// unsigned by signed bytes into saturating 16-bit pair sums, so both factors must stay small
// enough: INT8 goes as |w| * (x sign(w)), |pair| <= 2 * 128 * 127 (w may be -128, whose abs
// reads as 128 unsigned); FP4 (NVFP4, MXFP4) the same way, its codes looked up as twice their
// value (-12 .. 12, integers) with one byte shuffle; Q4 nibbles as they are (2 * 15 * 127);
// vpmaddwd then adds pairs into eight 32-bit lanes. Q4_0's q - 8 goes as q times x, minus
// 8 * sum(x) (Int8Rows keeps each block's sum). NVFP4's two 16-value blocks fill the lower and
// upper four lanes, so one scale vector holds both their scales. Also the AVX-512 table's kernel
// for matrices without a VNNI copy.
#include <immintrin.h>

#include "kernels/cpu/isa/Avx2LaneSum.h"
#include "kernels/cpu/isa/MxAvx2.h"
#include "kernels/cpu/isa/Q4Tiles.h"

namespace euclid::kernels {
namespace {

inline const int8_t* block_x(const Int8Rows& a, int64_t t, int64_t b) { return a.row(t) + 32 * b; }

constexpr bool kFp4(int type) { return type == WEIGHTS_NVFP4 || type == WEIGHTS_MXFP4; }

// The codes of an NVFP4 row's missing last 16 values (an odd count of 16-value blocks).
alignas(8) constexpr uint8_t kNoCodes[8] = {};

// 32 E2M1 codes, values 0-15 from the 8 bytes at `first` and 16-31 from those at `second`
// (element 2i in the low nibble of byte i, quant/Mx.h), as twice their values in element order.
inline __m256i fp4_twice(const uint8_t* first, const uint8_t* second) {
    return mx256::e2m1_twice_epi8(_mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(first))),
            _mm_loadl_epi64(reinterpret_cast<const __m128i*>(second)), 1));
}

// One row's 32-value block b: its bytes u (signed values for INT8 and FP4, nibbles for Q4), the
// per-lane weight scale d (FP4: the block scale; the 1/2 of its doubled values is in the row
// multiplier) and Q4_1's minimum m in lane 1 (lanes 0 and 2-7 hold d and zeros).
struct Block {
    __m256i u;
    __m256 d, m;
};

// kAlone: an NVFP4 row's last 16 values, with no 16 after them (an odd count of its blocks).
template <int TYPE, bool kAlone>
inline Block load_block(const uint8_t* row, int64_t cols, int64_t b) {
    Block k{_mm256_setzero_si256(), _mm256_set1_ps(1.0f), _mm256_setzero_ps()};
    if constexpr (TYPE == WEIGHTS_INT8) {
        // The row's last block may be short: copy what is there (the activations' padding is 0).
        const int64_t left = cols - 32 * b;
        if (left >= 32) {
            k.u = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(row + 32 * b));
        } else {
            alignas(32) uint8_t tail[32] = {};
            __builtin_memcpy(tail, row + 32 * b, left);
            k.u = _mm256_load_si256(reinterpret_cast<const __m256i*>(tail));
        }
    } else if constexpr (TYPE == WEIGHTS_NVFP4) {
        const auto* first = reinterpret_cast<const Nvfp4Block*>(row) + 2 * b;
        k.u = fp4_twice(first->q, kAlone ? kNoCodes : first[1].q);
        const __m128 d1 = kAlone ? _mm_setzero_ps() : _mm_broadcast_ss(&kMxTables.e4m3[first[1].scale]);
        k.d = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_broadcast_ss(&kMxTables.e4m3[first->scale])), d1, 1);
    } else if constexpr (TYPE == WEIGHTS_MXFP4) {
        const auto* block = reinterpret_cast<const Mxfp4Block*>(row) + b;
        k.u = fp4_twice(block->q, block->q + 8);
        k.d = _mm256_broadcast_ss(&kMxTables.e8m0[block->scale]);
    } else {
        constexpr int64_t bb = q4::kBlockBytes<TYPE>, qs_at = q4::kNibblesAt<TYPE>;
        const uint8_t* block = row + b * bb;
        const __m128i q = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + qs_at));
        const __m256i y = _mm256_inserti128_si256(_mm256_castsi128_si256(q), _mm_srli_epi16(q, 4), 1);
        k.u = _mm256_and_si256(y, _mm256_set1_epi8(0x0F));
        // d (and Q4_1's m) converted together: Q4_0 converts its first nibbles too, unused.
        int32_t halves;
        __builtin_memcpy(&halves, block, 4);
        const __m128 dm = _mm_cvtph_ps(_mm_cvtsi32_si128(halves));
        k.d = _mm256_broadcastss_ps(dm);
        if constexpr (TYPE == WEIGHTS_Q4_1) k.m = _mm256_zextps128_ps256(dm);
    }
    return k;
}

struct Tile {
    // 8 accumulators, 2 activation vectors, the weight block, its magnitudes and scales, temporaries.
    static constexpr int kRows = 4, kTokens = 2;

    template <int TYPE, int R, int T>
    static void run(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t r,
                    int64_t t);

    // Block b of the tile's rows into its accumulators.
    template <int TYPE, int R, int T, bool kAlone>
    static void block(__m256 (&acc)[R][T], const uint8_t* const (&rows)[R], const Int8Rows& a, int64_t cols,
                      int64_t t, int64_t b, int64_t ahead);
};

template <int TYPE, int R, int T, bool kAlone>
inline void Tile::block(__m256 (&acc)[R][T], const uint8_t* const (&rows)[R], const Int8Rows& a, int64_t cols,
                        int64_t t, int64_t b, int64_t ahead) {
    constexpr bool kSigned = TYPE == WEIGHTS_INT8 || kFp4(TYPE);
    const __m256i ones = _mm256_set1_epi16(1);
    // Per token, shared by the rows: activations, their scale, and the offset terms, which go in
    // one lane only (they belong once to the block's sum): Q4_0's -8 * sum(x) in lane 0 of the
    // integer dot product; Q4_1's sum(x) * dx in lane 1, times m there.
    __m256i xv[T], offset[T];
    __m256 dx[T], min_term[T];
    #pragma GCC unroll 2
    for (int j = 0; j < T; ++j) {
        xv[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block_x(a, t + j, b)));
        const float scale = a.block_scale(t + j, b);
        dx[j] = _mm256_set1_ps(scale);
        const int32_t sum = a.block_sum(t + j, b);
        if constexpr (TYPE == WEIGHTS_Q4_0) offset[j] = _mm256_setr_epi32(-8 * sum, 0, 0, 0, 0, 0, 0, 0);
        if constexpr (TYPE == WEIGHTS_Q4_1) min_term[j] = _mm256_setr_ps(0, static_cast<float>(sum) * scale, 0, 0, 0, 0, 0, 0);
    }
    if (ahead != 0 && b % 2 == 0) {
        #pragma GCC unroll 4
        for (int i = 0; i < R; ++i) {
            _mm_prefetch(reinterpret_cast<const char*>(rows[i] + ahead + weight_row_bytes(TYPE, 32 * b)), _MM_HINT_T1);
        }
    }
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) {
        const Block k = load_block<TYPE, kAlone>(rows[i], cols, b);
        const __m256i magnitude = kSigned ? _mm256_abs_epi8(k.u) : k.u;
        #pragma GCC unroll 2
        for (int j = 0; j < T; ++j) {
            const __m256i pairs = _mm256_maddubs_epi16(magnitude, kSigned ? _mm256_sign_epi8(xv[j], k.u) : xv[j]);
            __m256i dot = _mm256_madd_epi16(pairs, ones);
            if constexpr (TYPE == WEIGHTS_Q4_0) dot = _mm256_add_epi32(dot, offset[j]);
            acc[i][j] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_mul_ps(k.d, dx[j]), acc[i][j]);
            if constexpr (TYPE == WEIGHTS_Q4_1) acc[i][j] = _mm256_fmadd_ps(k.m, min_term[j], acc[i][j]);
        }
    }
}

template <int TYPE, int R, int T>
void Tile::run(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t r,
               int64_t t) {
    const int64_t cols = w.cols, row_bytes = weight_row_bytes(TYPE, cols), blocks = (cols + 31) / 32;
    // NVFP4 rows of an odd count of 16-value blocks end halfway through their last 32.
    const bool alone_last = TYPE == WEIGHTS_NVFP4 && (cols + 15) / 16 % 2 == 1;
    const uint8_t* rows[R];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) rows[i] = w.data + (r + i) * row_bytes;
    const int64_t ahead = q4::prefetch_ahead(row_bytes, R, t);
    __m256 acc[R][T];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i)
        #pragma GCC unroll 2
        for (int j = 0; j < T; ++j) acc[i][j] = _mm256_setzero_ps();
    const int64_t whole = alone_last ? blocks - 1 : blocks;
    for (int64_t b = 0; b < whole; ++b) block<TYPE, R, T, false>(acc, rows, a, cols, t, b, ahead);
    if (alone_last) block<TYPE, R, T, true>(acc, rows, a, cols, t, whole, ahead);
    q4::store_int8_tile<TYPE, R, T>(out, out_stride, acc, lane_sum, w, bias, r, t);
}

}  // namespace

void matmul_rows_int8_avx2(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                           int64_t n, int64_t r0, int64_t r1) {
    q4::int8_rows<Tile>(out, out_stride, a, w, bias, n, r0, r1);
}

}  // namespace euclid::kernels
