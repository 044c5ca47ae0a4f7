// Int8-activation products with AVX-512 VNNI: vpdpbusd multiplies 64 unsigned weight
// bytes by 64 signed activation bytes and adds each group of 4 products to a 32-bit
// lane, so one instruction does 64 multiply-adds where an FP32 FMA does 16.
//
// The weights become unsigned bytes u = integer + offset (INT8: w ^ 0x80 = w + 128;
// Q4_0: the nibble q = (q - 8) + 8; Q4_1: q itself), and sum(u * x) - offset * sum(x)
// is the exact block dot product: the offset term starts the lane's accumulator
// (Int8Rows keeps minus each block's sum of x in lanes 0 and 8 of its chunk).
#include <immintrin.h>

#include "kernels/cpu/isa/Q4Tiles.h"

namespace euclid::kernels {
namespace {

// Chunk c (values 64c to 64c + 63) of one weight row, as vpdpbusd and the FP32 step take it.
template <int TYPE>
struct Chunk {
    __m512i u;        // unsigned weight bytes
    __m512 d, m;      // Q4: lanes 0-7 the first block's scale (and Q4_1 minimum), 8-15 the second's
};

// Bytes of a row's chunk c; `half`: the row ends after its first block (Q4 rows of an odd block count).
template <int TYPE, bool HALF>
inline Chunk<TYPE> load_chunk(const uint8_t* row, int64_t c, int64_t cols) {
    Chunk<TYPE> k;
    if constexpr (TYPE == WEIGHTS_INT8) {
        const int64_t left = cols - 64 * c;
        const __mmask64 m = left >= 64 ? ~__mmask64(0) : (__mmask64(1) << left) - 1;
        k.u = _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, row + 64 * c), _mm512_set1_epi8(static_cast<char>(0x80)));
    } else {
        constexpr int64_t bb = q4::kBlockBytes<TYPE>, qs_at = q4::kNibblesAt<TYPE>;
        const uint8_t* b0 = row + 2 * c * bb;
        const __m128i q0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b0 + qs_at));
        const __m128i q1 = HALF ? _mm_setzero_si128() : _mm_loadu_si128(reinterpret_cast<const __m128i*>(b0 + bb + qs_at));
        const __m256i y = _mm256_inserti128_si256(_mm256_castsi128_si256(q0), q1, 1);
        const __m256i nib = _mm256_set1_epi8(0x0F);
        const __m256i lo = _mm256_and_si256(y, nib), hi = _mm256_and_si256(_mm256_srli_epi16(y, 4), nib);
        // [q0 low, q1 low, q0 high, q1 high] -> [q0 low, q0 high, q1 low, q1 high]: values in order.
        const __m512i v = _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
        k.u = _mm512_shuffle_i64x2(v, v, _MM_SHUFFLE(3, 1, 2, 0));
        uint16_t h0[2] = {0, 0}, h1[2] = {0, 0};
        __builtin_memcpy(h0, b0, TYPE == WEIGHTS_Q4_0 ? 2 : 4);
        if (!HALF) __builtin_memcpy(h1, b0 + bb, TYPE == WEIGHTS_Q4_0 ? 2 : 4);
        const __m256i d = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_set1_epi16(static_cast<short>(h0[0]))),
                                                  _mm_set1_epi16(static_cast<short>(h1[0])), 1);
        k.d = _mm512_cvtph_ps(d);
        if constexpr (TYPE == WEIGHTS_Q4_1) {
            const __m256i m = _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_set1_epi16(static_cast<short>(h0[1]))),
                                                      _mm_set1_epi16(static_cast<short>(h1[1])), 1);
            k.m = _mm512_cvtph_ps(m);
        }
    }
    return k;
}

// log2 of the offset the unsigned weight bytes carry (Q4_1: none).
template <int TYPE>
constexpr int kOffsetShift = TYPE == WEIGHTS_INT8 ? 7 : TYPE == WEIGHTS_Q4_0 ? 3 : -1;

struct Tile {
    // 16 accumulators, 4 activation vectors and 4 offset terms (Q4_1: the minimum's terms), the
    // weight chunk and its scales: 28 of the 32 zmm registers.
    static constexpr int kRows = 4, kTokens = 4;

    template <int TYPE, int R, int T>
    static void run(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t r,
                    int64_t t);

    template <int TYPE, int R, int T, bool HALF>
    static void step(__m512 (&acc)[R][T], const uint8_t* const (&rows)[R], const Int8Rows& a, int64_t cols, int64_t t,
                     int64_t c);
};

template <int TYPE, int R, int T, bool HALF>
inline void Tile::step(__m512 (&acc)[R][T], const uint8_t* const (&rows)[R], const Int8Rows& a, int64_t cols, int64_t t,
                       int64_t c) {
    __m512i xv[T], start[T];
    __m512 extra[T];  // Q4_1: minus d_x * sum(x) of each block, for the minimum's term
    #pragma GCC unroll 4
    for (int j = 0; j < T; ++j) {
        xv[j] = _mm512_loadu_si512(a.row(t + j) + 64 * c);
        const __m512i sums = _mm512_loadu_si512(a.chunk_sums(t + j, c));
        if constexpr (kOffsetShift<TYPE> >= 0) {
            start[j] = _mm512_slli_epi32(sums, kOffsetShift<TYPE>);
        } else {
            start[j] = _mm512_setzero_si512();
            extra[j] = _mm512_mul_ps(_mm512_cvtepi32_ps(sums), _mm512_loadu_ps(a.chunk_scales(t + j, c)));
        }
    }
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) {
        const Chunk<TYPE> k = load_chunk<TYPE, HALF>(rows[i], c, cols);
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) {
            const __m512 dot = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(start[j], k.u, xv[j]));
            const __m512 dx = _mm512_loadu_ps(a.chunk_scales(t + j, c));
            if constexpr (TYPE == WEIGHTS_INT8) {
                acc[i][j] = _mm512_fmadd_ps(dot, dx, acc[i][j]);
            } else {
                acc[i][j] = _mm512_fmadd_ps(dot, _mm512_mul_ps(k.d, dx), acc[i][j]);
                if constexpr (TYPE == WEIGHTS_Q4_1) acc[i][j] = _mm512_fnmadd_ps(k.m, extra[j], acc[i][j]);
            }
        }
    }
}

template <int TYPE, int R, int T>
void Tile::run(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias, int64_t r,
               int64_t t) {
    const int64_t cols = w.cols, row_bytes = weight_row_bytes(TYPE, cols);
    const uint8_t* rows[R];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i) rows[i] = w.data + (r + i) * row_bytes;
    const int64_t ahead = q4::prefetch_ahead(row_bytes, R, t);
    // Q4 rows of an odd block count end with half a chunk.
    const int64_t chunks = a.stride / 64;
    const bool half_last = TYPE != WEIGHTS_INT8 && (cols / 32) % 2 == 1;
    const int64_t whole = half_last ? chunks - 1 : chunks;
    __m512 acc[R][T];
    #pragma GCC unroll 4
    for (int i = 0; i < R; ++i)
        #pragma GCC unroll 4
        for (int j = 0; j < T; ++j) acc[i][j] = _mm512_setzero_ps();
    for (int64_t c = 0; c < whole; ++c) {
        if (ahead != 0) {
            #pragma GCC unroll 4
            for (int i = 0; i < R; ++i) {
                _mm_prefetch(reinterpret_cast<const char*>(rows[i] + ahead + weight_row_bytes(TYPE, 64 * c)), _MM_HINT_T1);
            }
        }
        step<TYPE, R, T, false>(acc, rows, a, cols, t, c);
    }
    if (half_last) step<TYPE, R, T, true>(acc, rows, a, cols, t, whole);
    q4::store_int8_tile<TYPE, R, T>(out, out_stride, acc, [](__m512 v) { return _mm512_reduce_add_ps(v); }, w, bias, r, t);
}

}  // namespace

void matmul_rows_int8_vnni(float* out, int64_t out_stride, const Int8Rows& a, const Matrix& w, const float* bias,
                           int64_t n, int64_t r0, int64_t r1) {
    q4::int8_rows<Tile>(out, out_stride, a, w, bias, n, r0, r1);
}

}  // namespace euclid::kernels
