// The transformer forward pass over a ragged batch of tokens of several
// sequences, reading and writing K/V through each sequence's block table in
// the paged cache.
#pragma once

#include <cstdint>

namespace euclid {

class KvCache;
class Model;
class Workspace;

// A ragged batch: token t sits at positions[t] of the sequence whose block
// table is tables[t]; tokens of one sequence are consecutive and in order.
// Logits are produced for the tokens listed in logit_rows.
//
// Draft trees (speculative verification) decouple where a token's K/V is
// stored from its position: with `slots` set, token t writes its K/V to slot
// slots[t] of its table and attends to slots [0, prefix[t]) and then to
// ancestors[ancestor_offsets[t] .. ancestor_offsets[t + 1]) (its tree
// ancestors, root side first, and itself). A linear token has slot = position,
// prefix = position + 1 and no ancestors, which is the default when `slots` is
// null. Scores are taken in that order, so a tree token computes exactly what
// the same token computes when its branch is decoded one token at a time.
//
// A hole (hole_begin/hole_end set, with `slots`) is a range of slots
// [hole_begin[t], hole_end[t]) that token t's sequence left empty: samples of
// one prompt keep reading the prompt's shared, partially filled last block and
// write their own tokens from the next block on (see BlockManager.java). The
// linear part of what a token sees is then [0, prefix[t]) without the hole; the
// scores stay in slot order, so a token computes exactly what it computes
// without a hole.
struct Batch {
    int32_t n = 0;
    const int32_t* tokens = nullptr;
    const int32_t* positions = nullptr;
    const int32_t* const* tables = nullptr;
    int32_t n_logits = 0;
    const int32_t* logit_rows = nullptr;
    const int32_t* slots = nullptr;
    const int32_t* prefix = nullptr;
    const int32_t* ancestor_offsets = nullptr;
    const int32_t* ancestors = nullptr;
    const int32_t* hole_begin = nullptr;
    const int32_t* hole_end = nullptr;
};

// Feeds every token of the batch (its K/V go to block tables[t][position /
// block_tokens]) and writes the logits of the listed tokens to
// logits[n_logits * vocab]. Each token's result is the same whatever else is
// in the batch. Inputs are assumed validated (see runtime/Boundary.h).
void forward(const Model& model, KvCache& kv, Workspace& ws, const Batch& batch, float* logits);

}  // namespace euclid
