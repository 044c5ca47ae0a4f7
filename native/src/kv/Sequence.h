// One sequence's state: a contiguous KV cache plus scratch buffers for a chunk.
//
// Buffers are sized once at creation and reused by every step, so the hot
// loop allocates nothing. (The paged, shared KV cache replaces the contiguous
// one when sequences start sharing prompt blocks.)
#pragma once

#include <cstdint>
#include <vector>

namespace euclid {

class Model;

class Sequence {
public:
    Sequence(const Model& model, int32_t capacity, int32_t max_chunk);

    // Bytes the buffers of such a sequence take; throws if that overflows or is absurd.
    static int64_t bytes_needed(const Model& model, int32_t capacity, int32_t max_chunk);

    int32_t capacity;
    int32_t max_chunk;
    int32_t length = 0;  // positions already in the KV cache

    // key/value: [layer][position][kv_dim]
    std::vector<float> key, value;
    // Chunk activations, [token][width].
    std::vector<float> x, xb, q, k, v, att, hb, hb2;
    // Attention scores, one row of `capacity` per pool thread.
    std::vector<float> scores;
    // Logits of the last token of a chunk and a sampling workspace.
    std::vector<float> logits, probs;
    std::vector<int32_t> candidates;
};

}  // namespace euclid
