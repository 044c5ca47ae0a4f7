// The checks of the public entry points (Api.cpp, SpecApi.cpp): every pointer,
// handle, count and index from the caller is checked once, here, and the code
// behind the boundary (model, kv, sampling, spec) assumes valid input. Each
// check throws std::invalid_argument naming the field and the value at fault.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "euclid/euclid.h"
#include "model/Model.h"

namespace euclid {

class KvCache;
class Workspace;

template <typename T>
T* require(T* p, const char* what) {
    if (!p) throw std::invalid_argument(std::string(what) + " is null");
    return p;
}

inline const Model& ready(const Model* model) {
    require(model, "model");
    if (!model->finished()) throw std::logic_error("model is not finished loading");
    return *model;
}

// A step of n tokens fits the workspace: 1 <= n <= max_chunk.
void check_chunk_size(const Workspace& ws, int64_t n);

// One sequence's part of a step: token ids, positions within the context, and
// a block table whose entries cover their slots (positions + `hole`, the slots
// of a hole before them) with ids inside the pool.
void check_sequence(const Model& model, const KvCache& kv, const int32_t* table, int32_t n_table, const int32_t* tokens,
                    int32_t n, int32_t pos, int32_t hole = 0);

// tokens[0, n) are ids inside the vocabulary.
void check_token_ids(const Model& model, const int32_t* tokens, int32_t n);

// Sampling parameters in range and penalty history ids inside the vocabulary.
void check_sampling(const SamplingParams& sampling, int32_t vocab);

// Row `row` is one of the rows the workspace's latest step sampled (whose logits
// and hidden states it holds).
void check_sampled_row(const Workspace& ws, int32_t row);

// A drafter must be made for its base model: it reads the model's hidden states
// and embedding rows.
void check_drafter_fits(const DrafterConfig& drafter, const ModelConfig& model);

// A new drafter for `model`: its config (see check_drafter_fits, mlp_layers within
// spec/Drafter.h's limit), a weight count that matches the config's layout, and
// finite weights.
void check_drafter(const Model& model, const DrafterConfig& config, const float* weights, int64_t n_weights);

// A drafter proposal: n >= 0 sequences' last tokens inside the vocabulary, beams
// and draft length within the drafter's limits (spec/Drafter.h).
void check_proposal(const Model& model, int32_t n, const int32_t* tokens, int32_t beams, int32_t length,
                    const int32_t* out_tokens);

// A whole step (see StepDescriptor in euclid.h): the KV operations against the
// pool, then every count, slice and offset of every sequence against the flat
// arrays, the workspace, the model context and the pool, the draft trees'
// parents and the holes, the sampling parameters, and the output capacity.
void check_step(const Model& model, const KvCache& kv, const Workspace& ws, const StepDescriptor& step);

// A request for top_n alternatives: 0..min(MAX_TOP_LOGPROBS, vocab), with both outputs when top_n > 0.
void check_top_logprobs(int32_t top_n, int32_t vocab, const int32_t* top_tokens, const float* top_logprobs);

}  // namespace euclid
