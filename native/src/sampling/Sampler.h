// Picks the next token from logits: greedy, temperature, top-k, top-p.
#pragma once

#include <cstdint>

#include "euclid/euclid.h"

namespace euclid {

// Uniform double in [0, 1) from a counter-based generator: the value depends
// only on (seed, draw), so a sequence samples the same tokens whatever runs
// beside it, and after being preempted and recomputed.
double uniform(uint64_t seed, int64_t draw);

// Workspaces of `vocab` entries for sample().
struct SampleScratch {
    float* probs;
    int32_t* candidates;
    float* penalized;  // logits after penalties
    int32_t* counts;   // all zero between calls
};

// The sampling parameters of sequence s of a step (its penalty history included).
SamplingParams sampling_of(const StepDescriptor& step, int32_t s);

// Samples from logits[vocab] (left unchanged). Writes log p(token) under the
// unmodified distribution (temperature 1, no penalty or truncation) to
// *logprob if non-null. History token ids must be valid (checked by the caller).
int32_t sample(const float* logits, int32_t vocab, const SamplingParams& params, int64_t draw,
               const SampleScratch& scratch, float* logprob);

}  // namespace euclid
