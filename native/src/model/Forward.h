// The transformer forward pass over a chunk of one sequence's tokens, reading
// and writing K/V through the sequence's block table in the paged cache.
#pragma once

#include <cstdint>

namespace euclid {

class KvCache;
class Model;
class Workspace;

// A ragged batch: token t sits at positions[t] of the sequence whose block
// table is tables[t]; tokens of one sequence are consecutive and in order.
// Logits are produced for the tokens listed in logit_rows.
struct Batch {
    int32_t n = 0;
    const int32_t* tokens = nullptr;
    const int32_t* positions = nullptr;
    const int32_t* const* tables = nullptr;
    int32_t n_logits = 0;
    const int32_t* logit_rows = nullptr;
};

// Feeds every token of the batch (its K/V go to block tables[t][position /
// block_tokens]) and writes the logits of the listed tokens to
// logits[n_logits * vocab]. Each token's result is the same whatever else is
// in the batch. Inputs are assumed validated (see Api.cpp).
void forward(const Model& model, KvCache& kv, Workspace& ws, const Batch& batch, float* logits);

}  // namespace euclid
