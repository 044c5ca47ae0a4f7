#include "model/Workspace.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "model/Model.h"

namespace euclid {

Workspace::Workspace(const Model& model, int32_t max_chunk_) : max_chunk(max_chunk_) {
    const ModelConfig& c = model.config();
    if (max_chunk < 1 || max_chunk > 4096) {
        throw std::invalid_argument("chunk size " + std::to_string(max_chunk) + " is outside [1, 4096]");
    }
    // validate_config bounds every factor, so these sizes cannot overflow.
    const int64_t n = max_chunk;
    x.resize(n * c.dim);
    xb.resize(n * c.dim);
    q.resize(n * model.q_dim());
    att.resize(n * model.q_dim());
    k.resize(n * model.kv_dim());
    v.resize(n * model.kv_dim());
    hb.resize(n * c.hidden_dim);
    hb2.resize(n * c.hidden_dim);
    scores_stride = c.max_seq_len;
    // Attention reads each K/V row once for the query heads sharing it, up to 8 at a time (Llama 3 and
    // Qwen2.5 groups are 4-8): enough to amortise the row, few enough to bound this buffer.
    scores_heads = std::min<int64_t>(c.n_heads / c.n_kv_heads, 8);
    kv_row_stride = int64_t(kv_rows) * c.head_dim;
    scores.resize(int64_t(model.pool().size()) * scores_heads * scores_stride);
    kv_row.resize(int64_t(model.pool().size()) * kv_row_stride);
    logits.resize(n * c.vocab_size);
    positions.resize(n);
    logit_rows.resize(n);
    row_sequence.resize(n);
    tables.resize(n);
    slots.resize(n);
    prefix.resize(n);
    ancestor_offsets.resize(n + 1);
    ancestors.resize(n * MAX_TREE_TOKENS / 2);
    hole_begin.resize(n);
    hole_end.resize(n);
    const int64_t sampling_threads = model.pool().size();
    probs.resize(sampling_threads * c.vocab_size);
    candidates.resize(sampling_threads * c.vocab_size);
    penalized.resize(sampling_threads * c.vocab_size);
    counts.assign(sampling_threads * c.vocab_size, 0);
    rope_freq.resize(c.head_dim / 2);
    backend_scratch = model.backend().create_scratch(model, max_chunk);
}

namespace {

// The widest input a matrix product of the model takes.
int64_t widest_input(const Model& model) {
    const ModelConfig& c = model.config();
    return std::max<int64_t>({c.dim, model.q_dim(), c.hidden_dim});
}

}  // namespace

kernels::Bf16Scratch Workspace::bf16_scratch(const Model& model) {
    if (bf16_values_.empty()) {
        const int64_t cols = widest_input(model);
        bf16_rounded_.resize(int64_t(max_chunk) * cols);
        bf16_values_.resize(int64_t(max_chunk) * kernels::bf16_stride(cols));  // last: it marks the buffers sized
    }
    return {bf16_values_.data(), bf16_rounded_.data(), 0};
}

kernels::Int8Scratch Workspace::int8_scratch(const Model& model) {
    if (int8_q_.empty()) {
        const int64_t cols = widest_input(model);
        const int64_t values = int64_t(max_chunk) * kernels::int8_stride(cols);
        int8_scales_.resize(values / 32);
        int8_sums_.resize(int64_t(max_chunk) * kernels::Int8Rows::sums_per_row(kernels::int8_stride(cols)));
        int8_dequantized_.resize(int64_t(max_chunk) * cols);
        int8_q_.resize(values);  // last: it marks the buffers sized
    }
    return {int8_q_.data(), int8_scales_.data(), int8_sums_.data(), int8_dequantized_.data(), 0};
}

}  // namespace euclid
