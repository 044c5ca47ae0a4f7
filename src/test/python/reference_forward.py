#!/usr/bin/env python3
"""Reference forward pass of a Hugging Face Llama / Mistral / Qwen2 folder, in numpy float32.

    reference_forward.py MODEL_DIR TOKENS_FILE OUT_FILE

TOKENS_FILE holds whitespace-separated token ids; OUT_FILE receives the logits after every
token as little-endian float32, one row of vocab_size per token.

Written from transformers' modeling code (LlamaModel and friends, modeling_rope_utils.py),
independently of Euclid: the config is read with transformers' defaults, RoPE frequencies are
computed in float32 in transformers' order of operations, and the tokens are decoded one at a
time with a KV cache, as generate() does. That last point matters only for dynamic NTK scaling,
whose frequencies transformers recomputes from the sequence length of each forward call: decoded
token by token, the token at position p is rotated for a sequence of p + 1 tokens.
"""
import json
import math
import os
import struct
import sys

import numpy as np

F32 = np.float32


# ---- checkpoint --------------------------------------------------------------------------------

def read_safetensors(path, out):
    with open(path, "rb") as f:
        header_len = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_len))
        data = f.read()
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = data[begin:end]
        dtype = entry["dtype"]
        if dtype == "F32":
            values = np.frombuffer(raw, "<f4")
        elif dtype == "F16":
            values = np.frombuffer(raw, "<f2").astype(F32)
        elif dtype == "BF16":
            values = (np.frombuffer(raw, "<u2").astype(np.uint32) << 16).view(F32)
        else:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {dtype}")
        out[name] = values.reshape(entry["shape"]).astype(F32)


def read_weights(model_dir):
    weights = {}
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        read_safetensors(single, weights)
    else:
        with open(os.path.join(model_dir, "model.safetensors.index.json")) as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
        for shard in shards:
            read_safetensors(os.path.join(model_dir, shard), weights)
    return weights


# ---- RoPE (modeling_rope_utils.py) ------------------------------------------------------------

def rdiv(number, tensor):
    """torch evaluates `number / tensor` as reciprocal(tensor) * number."""
    return (F32(1) / tensor) * F32(number)


class Rope:
    def __init__(self, config):
        self.config = config
        params = config.get("rope_scaling") or config.get("rope_parameters") or {}
        self.params = dict(params)
        self.params.setdefault("rope_theta", config.get("rope_theta", 10000.0))
        self.type = self.params.get("rope_type", self.params.get("type", "default"))
        self.max_positions = config["max_position_embeddings"]
        if self.type in ("llama3", "yarn"):
            if "original_max_position_embeddings" in config:
                self.params["original_max_position_embeddings"] = config["original_max_position_embeddings"]
            else:
                self.params.setdefault("original_max_position_embeddings", self.max_positions)
        heads = config["num_attention_heads"]
        self.dim = config.get("head_dim") or config["hidden_size"] // heads
        self.inv_freq, self.attention_scaling = self.compute(None)
        # dynamic_rope_update's state
        self.original_inv_freq = self.inv_freq
        self.max_seq_len_cached = self.max_positions
        self.original_max_seq_len = self.max_positions

    def exponents(self):
        return np.arange(0, self.dim, 2).astype(F32) / F32(self.dim)

    def compute(self, seq_len):
        base = self.params["rope_theta"]
        if self.type == "default":
            return rdiv(1.0, F32(base) ** self.exponents()), 1.0
        if self.type == "linear":
            return rdiv(1.0, F32(base) ** self.exponents()) / F32(self.params["factor"]), 1.0
        if self.type == "dynamic":
            factor = self.params["factor"]
            seq = max(seq_len or self.max_positions, self.max_positions)
            grown = F32(factor) * F32(seq) / F32(self.max_positions) - F32(factor - 1)
            base = F32(base) * grown ** F32(self.dim / (self.dim - 2))
            return rdiv(1.0, base ** self.exponents()), 1.0
        if self.type == "llama3":
            return self.llama3(base), 1.0
        if self.type == "yarn":
            return self.yarn(base)
        raise ValueError(f"rope_type {self.type} is not implemented by this reference")

    def llama3(self, base):
        p = self.params
        inv_freq = rdiv(1.0, F32(base) ** self.exponents())
        factor, low, high = p["factor"], p["low_freq_factor"], p["high_freq_factor"]
        old = p["original_max_position_embeddings"]
        low_freq_wavelen = old / low
        high_freq_wavelen = old / high
        wavelen = rdiv(2 * math.pi, inv_freq)
        inv_freq_llama = np.where(wavelen > F32(low_freq_wavelen), inv_freq / F32(factor), inv_freq)
        smooth = (rdiv(old, wavelen) - F32(low)) / F32(high - low)
        smoothed = (F32(1) - smooth) * inv_freq_llama / F32(factor) + smooth * inv_freq_llama
        medium = ~(wavelen < F32(high_freq_wavelen)) & ~(wavelen > F32(low_freq_wavelen))
        return np.where(medium, smoothed, inv_freq_llama).astype(F32)

    def yarn(self, base):
        p = self.params
        dim = self.dim
        original = p["original_max_position_embeddings"]
        factor = p["factor"]
        if factor is None:
            factor = self.max_positions / original

        def get_mscale(scale, mscale=1):
            return 1.0 if scale <= 1 else 0.1 * mscale * math.log(scale) + 1.0

        attention_factor = p.get("attention_factor")
        if attention_factor is None:
            if p.get("mscale") and p.get("mscale_all_dim"):
                attention_factor = get_mscale(factor, p["mscale"]) / get_mscale(factor, p["mscale_all_dim"])
            else:
                attention_factor = get_mscale(factor)
        beta_fast = p.get("beta_fast") or 32
        beta_slow = p.get("beta_slow") or 1

        def correction_dim(rotations):
            return (dim * math.log(original / (rotations * 2 * math.pi))) / (2 * math.log(base))

        low, high = correction_dim(beta_fast), correction_dim(beta_slow)
        if p.get("truncate", True):
            low, high = math.floor(low), math.ceil(high)
        low, high = max(low, 0), min(high, dim - 1)
        if low == high:
            high += 0.001
        ramp = np.clip((np.arange(dim // 2, dtype=F32) - F32(low)) / F32(high - low), 0, 1).astype(F32)
        pos_freqs = F32(base) ** self.exponents()
        extrapolation = rdiv(1.0, pos_freqs)
        interpolation = rdiv(1.0, F32(factor) * pos_freqs)
        keep = F32(1) - ramp
        return (interpolation * (F32(1) - keep) + extrapolation * keep).astype(F32), attention_factor

    def cos_sin(self, position):
        if self.type == "dynamic":
            seq_len = position + 1
            if seq_len > self.max_seq_len_cached:  # growth
                self.inv_freq, self.attention_scaling = self.compute(seq_len)
                self.max_seq_len_cached = seq_len
            if seq_len < self.original_max_seq_len and self.max_seq_len_cached > self.original_max_seq_len:  # reset
                self.inv_freq = self.original_inv_freq
                self.max_seq_len_cached = self.original_max_seq_len
        freqs = self.inv_freq * F32(position)
        emb = np.concatenate([freqs, freqs])
        return np.cos(emb) * F32(self.attention_scaling), np.sin(emb) * F32(self.attention_scaling)


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


# ---- the decoder -----------------------------------------------------------------------------

def rms_norm(x, weight, eps):
    variance = np.mean(x * x, dtype=F32)
    return weight * (x * (F32(1) / np.sqrt(variance + F32(eps))))


def attention_biases(config):
    """The projections with a bias: Qwen2's q/k/v always, Llama's q/k/v/o with attention_bias."""
    arch = config["architectures"][0]
    if arch == "Qwen2ForCausalLM":
        return {"q", "k", "v"}
    if arch == "LlamaForCausalLM" and config.get("attention_bias", False):
        return {"q", "k", "v", "o"}
    return set()


def linear(weights, name, x, bias=False):
    y = weights[name + ".weight"] @ x
    return y + weights[name + ".bias"] if bias else y


def sliding_window(config, layer):
    """The window layer `layer` attends over, or None (transformers' Mistral and Qwen2 rules)."""
    arch = config["architectures"][0]
    if arch == "MistralForCausalLM":
        return config.get("sliding_window", 4096)
    if arch == "Qwen2ForCausalLM" and config.get("use_sliding_window", False):
        types = config.get("layer_types")
        if types is not None:
            sliding = types[layer] == "sliding_attention"
        else:
            sliding = layer >= config.get("max_window_layers", 28)
        return config.get("sliding_window", 4096) if sliding else None
    return None


def forward(model_dir, tokens):
    with open(os.path.join(model_dir, "config.json")) as f:
        config = json.load(f)
    w = read_weights(model_dir)
    biases = attention_biases(config)
    heads = config["num_attention_heads"]
    kv_heads = config.get("num_key_value_heads") or heads
    head_dim = config.get("head_dim") or config["hidden_size"] // heads
    layers = config["num_hidden_layers"]
    eps = config.get("rms_norm_eps", 1e-6)
    group = heads // kv_heads
    rope = Rope(config)
    embed = w["model.embed_tokens.weight"]
    head = embed if config.get("tie_word_embeddings", False) else w["lm_head.weight"]
    keys = [[] for _ in range(layers)]
    values = [[] for _ in range(layers)]
    logits = []
    for position, token in enumerate(tokens):
        cos, sin = rope.cos_sin(position)
        x = embed[token].copy()
        for l in range(layers):
            p = f"model.layers.{l}."
            h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
            q = linear(w, p + "self_attn.q_proj", h, "q" in biases).reshape(heads, head_dim)
            k = linear(w, p + "self_attn.k_proj", h, "k" in biases).reshape(kv_heads, head_dim)
            v = linear(w, p + "self_attn.v_proj", h, "v" in biases).reshape(kv_heads, head_dim)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            keys[l].append(k)
            values[l].append(v)
            window = sliding_window(config, l)
            first = 0 if window is None else max(0, position - window + 1)
            K = np.stack(keys[l][first:])    # (seen, kv_heads, head_dim)
            V = np.stack(values[l][first:])
            out = np.empty((heads, head_dim), dtype=F32)
            for hh in range(heads):
                scores = (K[:, hh // group] @ q[hh]) * F32(head_dim ** -0.5)
                scores = np.exp(scores - scores.max())
                out[hh] = (scores / scores.sum()) @ V[:, hh // group]
            x = x + linear(w, p + "self_attn.o_proj", out.reshape(-1), "o" in biases)
            h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
            gate = linear(w, p + "mlp.gate_proj", h)
            up = linear(w, p + "mlp.up_proj", h)
            x = x + linear(w, p + "mlp.down_proj", gate / (F32(1) + np.exp(-gate)) * up)
        logits.append(head @ rms_norm(x, w["model.norm.weight"], eps))
    return np.stack(logits).astype("<f4")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    model_dir, tokens_file, out_file = sys.argv[1:]
    with open(tokens_file) as f:
        tokens = [int(t) for t in f.read().split()]
    forward(model_dir, tokens).tofile(out_file)


if __name__ == "__main__":
    main()
