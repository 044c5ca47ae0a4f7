// Picks the next token from logits: greedy, temperature, top-k, top-p.
#pragma once

#include <cstdint>

#include "euclid/euclid.h"

namespace euclid {

// Uniform double in [0, 1) from a counter-based generator: the value depends
// only on (seed, draw), so a sequence samples the same tokens whatever runs
// beside it, and after being preempted and recomputed.
double uniform(uint64_t seed, int64_t draw);

// Samples from logits[vocab] (left unchanged). probs and candidates are
// workspaces of vocab entries. Writes log p(token) under the unmodified
// distribution (temperature 1, no truncation) to *logprob if non-null.
int32_t sample(const float* logits, int32_t vocab, const SamplingParams& params, int64_t draw, float* probs,
               int32_t* candidates, float* logprob);

}  // namespace euclid
