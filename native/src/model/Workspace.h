// Scratch buffers for one forward pass over a chunk of tokens: sized once
// (for the largest chunk and the model context) and reused by every step, so
// the hot loop allocates nothing. One per engine: steps run one at a time.
#pragma once

#include <cstdint>
#include <vector>

namespace euclid {

class Model;

class Workspace {
public:
    Workspace(const Model& model, int32_t max_chunk);

    int32_t max_chunk;
    // Chunk activations, [token][width].
    std::vector<float> x, xb, q, k, v, att, hb, hb2;
    // Per pool thread: attention scores over the context and one converted KV head.
    std::vector<float> scores, kv_row;
    int64_t scores_stride, kv_row_stride;
    // Logits of the latest step's sampled tokens (up to max_chunk sequences), and a sampling workspace.
    std::vector<float> logits, probs, penalized;
    std::vector<int32_t> candidates, counts;
    // The batch description of the latest step: per token, its position and block table.
    std::vector<int32_t> positions, logit_rows;
    std::vector<const int32_t*> tables;
    // Logit rows the latest step produced: ws.xb rows [0, n) hold their final-normed hidden states.
    int32_t n_logit_rows = 0;
};

}  // namespace euclid
