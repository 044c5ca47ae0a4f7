#include "kv/Sequence.h"

#include <stdexcept>
#include <string>

#include "model/Model.h"

namespace euclid {

namespace {

struct Sizes {
    int64_t kv, chunk, scores, vocab;
};

Sizes sizes(const Model& model, int32_t capacity, int32_t max_chunk) {
    const ModelConfig& c = model.config();
    if (capacity < 1 || capacity > c.max_seq_len) {
        throw std::invalid_argument("sequence capacity " + std::to_string(capacity) + " is outside [1, " +
                                    std::to_string(c.max_seq_len) + "] (the model context)");
    }
    if (max_chunk < 1 || max_chunk > capacity) {
        throw std::invalid_argument("chunk size " + std::to_string(max_chunk) + " is outside [1, " +
                                    std::to_string(capacity) + "]");
    }
    Sizes s{};
    // validate_config bounds every factor, so these products cannot overflow int64.
    s.kv = int64_t(c.n_layers) * capacity * model.kv_dim();
    s.chunk = int64_t(max_chunk) * (2 * int64_t(c.dim) + 2 * model.q_dim() + 2 * model.kv_dim() + 2 * int64_t(c.hidden_dim));
    s.scores = int64_t(model.pool().size()) * capacity;
    s.vocab = c.vocab_size;
    return s;
}

}  // namespace

int64_t Sequence::bytes_needed(const Model& model, int32_t capacity, int32_t max_chunk) {
    const Sizes s = sizes(model, capacity, max_chunk);
    return int64_t(sizeof(float)) * (2 * s.kv + s.chunk + s.scores + 2 * s.vocab) + int64_t(sizeof(int32_t)) * s.vocab;
}

Sequence::Sequence(const Model& model, int32_t capacity_, int32_t max_chunk_)
    : capacity(capacity_), max_chunk(max_chunk_) {
    const Sizes s = sizes(model, capacity_, max_chunk_);
    const ModelConfig& c = model.config();
    key.resize(s.kv);
    value.resize(s.kv);
    x.resize(int64_t(max_chunk) * c.dim);
    xb.resize(int64_t(max_chunk) * c.dim);
    q.resize(int64_t(max_chunk) * model.q_dim());
    att.resize(int64_t(max_chunk) * model.q_dim());
    k.resize(int64_t(max_chunk) * model.kv_dim());
    v.resize(int64_t(max_chunk) * model.kv_dim());
    hb.resize(int64_t(max_chunk) * c.hidden_dim);
    hb2.resize(int64_t(max_chunk) * c.hidden_dim);
    scores.resize(s.scores);
    logits.resize(s.vocab);
    probs.resize(s.vocab);
    candidates.resize(s.vocab);
}

}  // namespace euclid
