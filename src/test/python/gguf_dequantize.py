"""The test oracle for GGUF quantised tensors: the `gguf` package (llama.cpp's own Python
reader) dequantises every tensor of a GGUF file to float32.

usage: gguf_dequantize.py FILE.gguf OUT_DIR [q4_k_as_q4_1]
Writes OUT_DIR/NAME.f32 (raw little-endian float32, GGUF's element order) per tensor and
OUT_DIR/types.txt with one "NAME GGML_TYPE_NAME" line per tensor. With q4_k_as_q4_1, Q4_K
tensors are given as Euclid's 4-bit engines store them: each 32-weight sub-block as a Q4_1
block, d' = d * scale and m' = -(dmin * min) rounded to float16, w = d' q + m'; it prints how
many sub-blocks that rounding changed.
"""
import pathlib
import sys

import numpy as np
from gguf import GGMLQuantizationType, GGUFReader
from gguf.quants import dequantize


def q4_k_as_q4_1(raw):
    """Q4_K super-blocks (144 bytes each) -> float32 weights through FP16 sub-block scales."""
    blocks = np.frombuffer(raw.tobytes(), dtype=np.uint8).reshape(-1, 144)
    d = blocks[:, 0:2].copy().view(np.float16).astype(np.float32)[:, 0]
    dmin = blocks[:, 2:4].copy().view(np.float16).astype(np.float32)[:, 0]
    packed = blocks[:, 4:16].astype(np.uint32)
    qs = blocks[:, 16:]
    out = np.empty((blocks.shape[0], 256), dtype=np.float32)
    changed = 0
    for sub in range(8):
        if sub < 4:
            sc, mn = packed[:, sub] & 63, packed[:, sub + 4] & 63
        else:
            sc = (packed[:, sub + 4] & 0xF) | ((packed[:, sub - 4] >> 6) << 4)
            mn = (packed[:, sub + 4] >> 4) | ((packed[:, sub] >> 6) << 4)
        scale = d * sc.astype(np.float32)
        shift = -(dmin * mn.astype(np.float32))
        scale16 = scale.astype(np.float16).astype(np.float32)
        shift16 = shift.astype(np.float16).astype(np.float32)
        changed += int(np.sum((scale16 != scale) | (shift16 != shift)))
        q = (qs[:, 32 * (sub // 2):32 * (sub // 2) + 32] >> (4 * (sub % 2))) & 0xF
        out[:, 32 * sub:32 * sub + 32] = scale16[:, None] * q.astype(np.float32) + shift16[:, None]
    return out.reshape(-1), changed, blocks.shape[0] * 8


def main(path, out_dir, mode=None):
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    changed = total = 0
    for t in GGUFReader(path).tensors:
        if mode == "q4_k_as_q4_1" and t.tensor_type == GGMLQuantizationType.Q4_K:
            values, c, n = q4_k_as_q4_1(t.data)
            changed, total = changed + c, total + n
        else:
            values = dequantize(t.data, t.tensor_type)
        np.ascontiguousarray(values.astype("<f4", copy=False)).tofile(out / (t.name + ".f32"))
        lines.append(t.name + " " + t.tensor_type.name)
    (out / "types.txt").write_text("\n".join(lines) + "\n")
    if total:
        print(f"Q4_K sub-blocks whose scale or min FP16 rounding changed: {changed} of {total}")


if __name__ == "__main__":
    main(*sys.argv[1:])
