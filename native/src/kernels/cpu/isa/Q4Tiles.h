// What the Q4_0/Q4_1 kernels of every ISA share (Q4Avx512.cpp, Q4Avx2.cpp): the
// block layout, how far ahead a row tile prefetches, and the walk over row and
// token tiles. Templates only, instantiated inside each ISA's translation unit with
// that ISA's flags; no STL.
#pragma once

#include <cstdint>

#include "kernels/cpu/isa/KernelTable.h"

namespace euclid::kernels::q4 {

// Bytes of a block, and where its 16 bytes of nibbles start (after d, or d and m).
template <int TYPE>
constexpr int64_t kBlockBytes = TYPE == WEIGHTS_Q4_0 ? 18 : 20;
template <int TYPE>
constexpr int64_t kNibblesAt = TYPE == WEIGHTS_Q4_0 ? 2 : 4;

// How far ahead of its rows a row tile prefetches, as Avx512.cpp does: whole rows, at least
// kPrefetchAheadBytes, and only in the first token tile (later ones re-read these rows from
// cache). A tile prefetches every third block: 54 or 60 bytes apart, so each cache line is touched.
inline int64_t prefetch_ahead(int64_t row_bytes, int rows, int64_t t) {
    if (t != 0) return 0;
    const int64_t ahead_rows = row_bytes * rows >= kPrefetchAheadBytes ? rows : (kPrefetchAheadBytes + row_bytes - 1) / row_bytes;
    return ahead_rows * row_bytes;
}

// Where a tile of R rows (from r) and tokens from t reads: each row's blocks, the tokens'
// activations, and the prefetch distance (0: don't).
template <int TYPE, int R>
struct TileInputs {
    const uint8_t* rows[R];
    const float* xs;
    int64_t cols, blocks, ahead;

    TileInputs(const Matrix& w, const float* x, int64_t r, int64_t t)
        : xs(x + t * w.cols), cols(w.cols), blocks(w.cols / 32) {
        const int64_t row_bytes = blocks * kBlockBytes<TYPE>;
        for (int i = 0; i < R; ++i) rows[i] = w.data + (r + i) * row_bytes;
        ahead = prefetch_ahead(row_bytes, R, t);
    }
};

// The last n < Tile::kTokens tokens of a row tile, as one tile of n tokens.
template <typename Tile, int TYPE, int R, int T = Tile::kTokens - 1, typename X>
inline void token_rest(int64_t n, float* out, int64_t out_stride, const X& x, const Matrix& w, const float* bias,
                       int64_t r, int64_t t) {
    if constexpr (T > 0) {
        if (n == T) {
            Tile::template run<TYPE, R, T>(out, out_stride, x, w, bias, r, t);
        } else {
            token_rest<Tile, TYPE, R, T - 1>(n, out, out_stride, x, w, bias, r, t);
        }
    }
}

// Rows [r, r + R) for all n tokens: tiles of Tile::kTokens, then the rest.
template <typename Tile, int TYPE, int R, typename X>
void tokens(float* out, int64_t out_stride, const X& x, const Matrix& w, const float* bias, int64_t n, int64_t r) {
    int64_t t = 0;
    for (; t + Tile::kTokens <= n; t += Tile::kTokens) Tile::template run<TYPE, R, Tile::kTokens>(out, out_stride, x, w, bias, r, t);
    token_rest<Tile, TYPE, R>(n - t, out, out_stride, x, w, bias, r, t);
}

// The last rows < Tile::kRows of a range, as one row tile.
template <typename Tile, int TYPE, int R = Tile::kRows - 1, typename X>
inline void row_rest(int64_t rows, float* out, int64_t out_stride, const X& x, const Matrix& w, const float* bias,
                     int64_t n, int64_t r) {
    if constexpr (R > 0) {
        if (rows == R) {
            tokens<Tile, TYPE, R>(out, out_stride, x, w, bias, n, r);
        } else {
            row_rest<Tile, TYPE, R - 1>(rows, out, out_stride, x, w, bias, n, r);
        }
    }
}

template <typename Tile, int TYPE, typename X>
void rows_typed(float* out, int64_t out_stride, const X& x, const Matrix& w, const float* bias, int64_t n,
                int64_t r0, int64_t r1) {
    int64_t r = r0;
    for (; r + Tile::kRows <= r1; r += Tile::kRows) tokens<Tile, TYPE, Tile::kRows>(out, out_stride, x, w, bias, n, r);
    row_rest<Tile, TYPE>(r1 - r, out, out_stride, x, w, bias, n, r);
}

// matmul_rows for a Q4 matrix: rows [r0, r1) in tiles of Tile::kRows x Tile::kTokens.
template <typename Tile>
void matmul_rows(float* out, int64_t out_stride, const float* x, const Matrix& w, const float* bias, int64_t n,
                 int64_t r0, int64_t r1) {
    if (w.type == WEIGHTS_Q4_0) {
        rows_typed<Tile, WEIGHTS_Q4_0>(out, out_stride, x, w, bias, n, r0, r1);
    } else {
        rows_typed<Tile, WEIGHTS_Q4_1>(out, out_stride, x, w, bias, n, r0, r1);
    }
}

}  // namespace euclid::kernels::q4
