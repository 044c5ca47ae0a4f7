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

// Where sample() reports log-probabilities, all under the unmodified
// distribution (temperature 1, no penalty or truncation), so the chosen token's
// value equals its entry among the alternatives: log p(chosen) to *chosen (if
// non-null), and the top_n most likely tokens (0 <= top_n <= MAX_TOP_LOGPROBS)
// to top_tokens / top_logprobs, most likely first, ties to the lower id.
struct LogprobOutput {
    float* chosen = nullptr;
    int32_t top_n = 0;
    int32_t* top_tokens = nullptr;
    float* top_logprobs = nullptr;
};

// Reports log-probabilities of logits[vocab] to `out` as sample() does: `token`'s to out.chosen,
// and the top out.top_n (<= vocab).
void report_logprobs(const float* logits, int32_t vocab, int32_t token, const LogprobOutput& out);

// Samples from logits[vocab] (left unchanged) and reports log-probabilities to
// `out`. History token ids must be valid (checked by the caller).
int32_t sample(const float* logits, int32_t vocab, const SamplingParams& params, int64_t draw,
               const SampleScratch& scratch, const LogprobOutput& out);

}  // namespace euclid
