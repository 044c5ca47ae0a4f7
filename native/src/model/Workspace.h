// Scratch buffers for one forward pass over a chunk of tokens: sized once
// (for the largest chunk, the model context and the largest draft trees) and
// reused by every step, so a step allocates nothing. One per engine: steps run
// one at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "backend/Backend.h"
#include "kernels/cpu/Kernels.h"
#include "runtime/NativeMemory.h"

namespace euclid {

class Model;

// Counted in native_bytes_in_use, like the weights and the KV pool.
template <typename T>
using CountedVector = std::vector<T, CountingAllocator<T>>;

class Workspace {
public:
    Workspace(const Model& model, int32_t max_chunk);

    int32_t max_chunk;
    // Chunk activations, [token][width].
    CountedVector<float> x, xb, q, k, v, att, hb, hb2;
    // Per pool thread: attention scores over the context for scores_heads query heads (rows
    // scores_stride apart; see model/Attention.cpp) and kv_rows slots of one KV head converted
    // from FP16/FP8 (head_dim apart), enough to amortise a kernel call over a block's rows.
    static constexpr int32_t kv_rows = 16;
    CountedVector<float> scores, kv_row;
    int64_t scores_stride, scores_heads, kv_row_stride;
    // Logits of the latest step's sampled tokens (up to max_chunk sequences), and a sampling workspace
    // per pool thread (vocab_size entries each): a step samples its rows in parallel.
    CountedVector<float> logits, probs, penalized;
    CountedVector<int32_t> candidates, counts;
    // The batch of the latest step (model/BatchLayout.h): per token, its position and block table;
    // per sampled row, its token and its sequence. n_logit_rows rows of `logits` (and of `xb`,
    // their final-normed hidden states) are valid.
    CountedVector<int32_t> positions, logit_rows, row_sequence;
    CountedVector<const int32_t*> tables;
    int32_t n_logit_rows = 0;
    // Draft trees and holes of the latest step (Batch::slots and friends). A tree token has at
    // most MAX_TREE_TOKENS - 1 ancestors and a step at most max_chunk tokens, so ancestors holds
    // max_chunk * MAX_TREE_TOKENS / 2 slots: a tree of n tokens lists n (n - 1) / 2 at most.
    CountedVector<int32_t> slots, prefix, ancestor_offsets, ancestors, hole_begin, hole_end;
    // RoPE frequencies of a token that needs its own (dynamic scaling beyond the original length).
    CountedVector<float> rope_freq;
    // The model's backend's own buffers (device activations); null on the CPU.
    std::unique_ptr<BackendScratch> backend_scratch;

    // The int8 activations of one matrix product (ACTIVATIONS_INT8), sized by the first step that
    // needs them (before it changes anything), so FP32 engines don't hold them.
    kernels::Int8Scratch int8_scratch(const Model& model);

    // The BF16 activations of one matrix product (ACTIVATIONS_BF16), sized likewise.
    kernels::Bf16Scratch bf16_scratch(const Model& model);

private:
    CountedVector<uint16_t> bf16_values_;
    CountedVector<float> bf16_rounded_;
    CountedVector<int8_t> int8_q_;
    CountedVector<float> int8_scales_, int8_dequantized_;
    CountedVector<int32_t> int8_sums_;
};

}  // namespace euclid
