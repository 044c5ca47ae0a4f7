"""Oracle for the block-scaled weight formats: stores an FP32 matrix as NVFP4, MXFP4 or MXFP8 and
reads it back, written with numpy straight from the formats' rules (OCP Microscaling Formats v1.0,
NVIDIA's NVFP4) and the scale rule Euclid documents: each scale rounded up so that no scaled value
exceeds its element type's maximum, elements rounded to nearest with ties to the even code.

usage: mx_quantize.py IN.f32 ROWS COLS nvfp4|mxfp4|mxfp8 OUT.f32   (raw little-endian float32)
"""
import sys

import numpy as np

F32 = np.float32
E2M1 = np.array([0, 0.5, 1, 1.5, 2, 3, 4, 6], dtype=F32)


def e4m3_values():
    """Every non-negative finite E4M3 ("fn") value, indexed by code 0..126."""
    out = []
    for code in range(127):
        exp, mant = code >> 3, code & 7
        out.append(mant * 2.0 ** -9 if exp == 0 else (1 + mant / 8) * 2.0 ** (exp - 7))
    return np.array(out, dtype=F32)


E4M3 = e4m3_values()


def nearest_even(a, grid):
    """Index of the grid value nearest to each a (>= 0), ties to the even index; saturates at the top."""
    d = np.abs(grid[None, :].astype(np.float64) - a[:, None].astype(np.float64))
    best = d.min(axis=1, keepdims=True)
    tied = d == best
    even = tied & (np.arange(len(grid)) % 2 == 0)[None, :]
    return np.where(even.any(axis=1), even.argmax(axis=1), tied.argmax(axis=1))


def round_to(v, grid):
    """v rounded to the signed grid, ties to even; a value that rounds to zero is +0."""
    mag = grid[nearest_even(np.abs(v).ravel(), grid)].reshape(v.shape)
    return np.where(v < 0, -mag, mag).astype(F32)


def blocks(w, size):
    rows, cols = w.shape
    padded = np.zeros((rows, -(-cols // size) * size), dtype=F32)
    padded[:, :cols] = w
    return padded.reshape(rows, -1, size)


def mx(w, element_grid, element_max):
    b = blocks(w, 32)
    absmax = np.abs(b).max(axis=2)
    # The smallest X with element_max * 2^X >= absmax (X = 0 for an all-zero block).
    x = np.zeros(absmax.shape, dtype=np.int64)
    nz = absmax > 0
    x[nz] = np.frexp(absmax[nz] / F32(element_max))[1]
    for _ in range(3):
        x = np.where(nz & (np.ldexp(F32(element_max), x) < absmax), x + 1, x)
        x = np.where(nz & (np.ldexp(F32(element_max), x - 1) >= absmax), x - 1, x)
    x = np.clip(x, -127, 127)[:, :, None]
    q = round_to(np.ldexp(b, -x).astype(F32), element_grid)
    return np.ldexp(q, x).astype(F32)


def nvfp4(w):
    absmax_tensor = F32(np.abs(w).max())
    g = absmax_tensor / F32(448 * 6) if absmax_tensor > 0 else F32(1)
    b = blocks(w, 16)
    absmax = np.abs(b).max(axis=2)
    target = absmax / (F32(6) * g)
    code = np.clip(np.searchsorted(E4M3, target, side="left"), 1, 126)
    for _ in range(3):
        code = np.where((code < 126) & (absmax / (E4M3[code] * g) > F32(6)), code + 1, code)
    s = np.where(absmax > 0, E4M3[code], F32(0)).astype(F32)
    safe = np.where(s > 0, s * g, F32(1)).astype(F32)
    q = round_to((b / safe[:, :, None]).astype(F32), E2M1)
    q = np.where(s[:, :, None] > 0, q, F32(0))
    return ((q * s[:, :, None]).astype(F32) * g).astype(F32)


def main():
    src, rows, cols, fmt, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    w = np.fromfile(src, dtype="<f4").reshape(rows, cols)
    if fmt == "nvfp4":
        r = nvfp4(w)
    elif fmt == "mxfp4":
        r = mx(w, E2M1, 6)
    elif fmt == "mxfp8":
        r = mx(w, E4M3, 448)
    else:
        raise SystemExit("unknown format " + fmt)
    r.reshape(rows, -1)[:, :cols].astype("<f4").tofile(out)


if __name__ == "__main__":
    main()
