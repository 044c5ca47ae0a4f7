// The transformer forward pass over a chunk of one sequence's tokens.
#pragma once

#include <cstdint>

namespace euclid {

class Model;
class Sequence;

// Feeds tokens[0, n) at positions [seq.length, seq.length + n), appends their
// K/V to the cache and advances seq.length. Writes logits of every token to
// all_logits[n * vocab] if it is non-null, else those of the last token to
// seq.logits. Inputs are assumed validated (see Api.cpp).
void forward(const Model& model, Sequence& seq, const int32_t* tokens, int32_t n, float* all_logits);

}  // namespace euclid
