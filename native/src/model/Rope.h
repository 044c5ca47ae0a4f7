// RoPE's inverse frequencies under each rope_scaling type (see RopeScaling in
// euclid.h), computed in float32 step by step as transformers'
// modeling_rope_utils.py computes them, so a checkpoint is rotated exactly as
// it was trained or extended.
#pragma once

#include <cstdint>

#include "euclid/euclid.h"

namespace euclid {

// Throws std::invalid_argument naming the first RoPE scaling field out of range.
void validate_rope_scaling(const ModelConfig& c);

// Writes the head_dim / 2 inverse frequencies that rotate a sequence of
// seq_len positions to out. Only dynamic scaling depends on seq_len.
void rope_inv_freq(const ModelConfig& c, int64_t seq_len, float* out);

// Whether the token at position pos rotates with frequencies of its own rather
// than the model's table: dynamic scaling beyond its original length, where
// transformers, decoding token by token, recomputes them for seq_len = pos + 1.
inline bool rope_rescales_at(const ModelConfig& c, int64_t pos) {
    return c.rope_scaling == ROPE_SCALING_DYNAMIC && pos + 1 > c.rope_original_max_positions;
}

}  // namespace euclid
