// The transformer forward pass over a chunk of one sequence's tokens, reading
// and writing K/V through the sequence's block table in the paged cache.
#pragma once

#include <cstdint>

namespace euclid {

class KvCache;
class Model;
class Workspace;

// Feeds tokens[0, n) at positions [pos, pos + n): their K/V go to the blocks
// block_table[position / block_tokens]. Writes the logits of every token to
// all_logits[n * vocab] if it is non-null, else those of the last token to
// ws.logits. Inputs are assumed validated (see Api.cpp).
void forward(const Model& model, KvCache& kv, Workspace& ws, const int32_t* block_table, const int32_t* tokens,
             int32_t n, int32_t pos, float* all_logits);

}  // namespace euclid
