#include "runtime/Boundary.h"

#include <algorithm>
#include <cmath>

#include "kv/KvCache.h"
#include "model/BatchLayout.h"
#include "model/Workspace.h"
#include "sampling/Sampler.h"
#include "spec/Drafter.h"

namespace euclid {

namespace {

std::string str(int64_t v) { return std::to_string(v); }

// A draft tree: token 0 is the root (the sequence's last committed token) and
// every other token's parent comes before it.
void check_tree(const int32_t* parents, int32_t n, int32_t seq) {
    if (n > MAX_TREE_TOKENS) {
        throw std::invalid_argument("a draft tree of " + str(n) + " tokens exceeds " + str(MAX_TREE_TOKENS));
    }
    for (int32_t i = 1; i < n; ++i) {
        if (parents[i] < 0 || parents[i] >= i) {
            throw std::invalid_argument("draft tree of sequence " + str(seq) + ": parent " + str(parents[i]) +
                                        " of token " + str(i) + " must be an earlier token");
        }
    }
}

// A hole sits before the tokens a sequence feeds and is shorter than a block
// (a whole empty block would simply not be in the table).
void check_hole(const Hole& h, int32_t start, int32_t block_tokens, int32_t seq) {
    if (h.slots < 0 || h.slots >= block_tokens || (h.slots > 0 && (h.at < 0 || h.at > start))) {
        throw std::invalid_argument("hole of sequence " + str(seq) + " (" + str(h.slots) + " slots at position " +
                                    str(h.at) + ") must be shorter than a block of " + str(block_tokens) +
                                    " and lie before position " + str(start));
    }
}

// [offset, offset + length) lies inside an array of `size` entries.
void check_slice(int32_t offset, int32_t length, int32_t size, const char* what, int32_t seq) {
    if (offset < 0 || length < 0 || offset > size || length > size - offset) {
        throw std::invalid_argument(std::string(what) + " slice of sequence " + str(seq) + " ([" + str(offset) +
                                    ", +" + str(length) + ") of " + str(size) + " entries) is out of range");
    }
}

void check_kv_ops(const KvCache& kv, int32_t n, const int32_t* ops) {
    if (n < 0) throw std::invalid_argument("n_kv_ops = " + str(n) + " is negative");
    if (n > 0) require(ops, "kv_ops");
    auto block = [&](int32_t i, int32_t id) {
        if (id < 0 || id >= kv.n_blocks()) {
            throw std::invalid_argument("KV operation " + str(i) + ": block id " + str(id) + " is outside the pool of " +
                                        str(kv.n_blocks()) + " blocks");
        }
    };
    auto slot = [&](int32_t i, int32_t s) {
        if (s < 0 || s >= kv.block_tokens()) {
            throw std::invalid_argument("KV operation " + str(i) + ": slot " + str(s) + " is outside a block of " +
                                        str(kv.block_tokens()) + " slots");
        }
    };
    for (int32_t i = 0; i < n; ++i) {
        const int32_t* op = ops + int64_t(i) * KV_OP_INTS;
        if (op[0] != KV_COPY_BLOCK && op[0] != KV_MOVE_SLOT) {
            throw std::invalid_argument("KV operation " + str(i) + " has unknown kind " + str(op[0]));
        }
        block(i, op[1]);
        block(i, op[3]);
        if (op[0] == KV_MOVE_SLOT) {
            slot(i, op[2]);
            slot(i, op[4]);
        }
    }
}

void check_sequences_arrays(const StepDescriptor& d) {
    require(d.n_tokens, "step n_tokens");
    require(d.starts, "step starts");
    require(d.sample_modes, "step sample_modes");
    require(d.table_offsets, "step table_offsets");
    require(d.table_lengths, "step table_lengths");
    require(d.temperatures, "step temperatures");
    require(d.top_ks, "step top_ks");
    require(d.top_ps, "step top_ps");
    require(d.min_ps, "step min_ps");
    require(d.penalties, "step penalties");
    require(d.seeds, "step seeds");
    require(d.draws, "step draws");
    require(d.history_offsets, "step history_offsets");
    require(d.history_lengths, "step history_lengths");
    require(d.tokens, "step tokens");
    require(d.tables, "step tables");
    require(d.out_tokens, "step out_tokens");
    if (d.n_table_entries < 0) throw std::invalid_argument("n_table_entries = " + str(d.n_table_entries) + " is negative");
    if (d.n_history_entries < 0) {
        throw std::invalid_argument("n_history_entries = " + str(d.n_history_entries) + " is negative");
    }
    if (d.n_history_entries > 0) require(d.history, "step history");
}

}  // namespace

void check_chunk_size(const Workspace& ws, int64_t n) {
    if (n < 1 || n > ws.max_chunk) {
        throw std::invalid_argument("a step of " + str(n) + " tokens is outside [1, " + str(ws.max_chunk) + "]");
    }
}

void check_sequence(const Model& model, const KvCache& kv, const int32_t* table, int32_t n_table, const int32_t* tokens,
                    int32_t n, int32_t pos, int32_t hole) {
    require(table, "block table");
    require(tokens, "tokens");
    if (n < 1) throw std::invalid_argument("a sequence must feed at least one token, got " + str(n));
    const int32_t context = model.config().max_seq_len;
    if (pos < 0 || pos > context - n) {
        throw std::invalid_argument("positions [" + str(pos) + ", " + str(int64_t(pos) + n) +
                                    ") exceed the model context of " + str(context));
    }
    const int64_t slots = int64_t(pos) + hole + n;
    const int64_t needed = (slots + kv.block_tokens() - 1) / kv.block_tokens();
    if (n_table < needed) {
        throw std::invalid_argument("block table of " + str(n_table) + " blocks cannot hold " + str(slots) + " slots");
    }
    for (int64_t i = 0; i < needed; ++i) {
        if (table[i] < 0 || table[i] >= kv.n_blocks()) {
            throw std::invalid_argument("block id " + str(table[i]) + " is outside the pool of " + str(kv.n_blocks()) +
                                        " blocks");
        }
    }
    check_token_ids(model, tokens, n);
}

void check_token_ids(const Model& model, const int32_t* tokens, int32_t n) {
    const int32_t vocab = model.config().vocab_size;
    for (int32_t i = 0; i < n; ++i) {
        if (tokens[i] < 0 || tokens[i] >= vocab) {
            throw std::invalid_argument("token id " + str(tokens[i]) + " is outside the vocabulary [0, " + str(vocab) +
                                        ")");
        }
    }
}

void check_sampling(const SamplingParams& sampling, int32_t vocab) {
    if (std::isnan(sampling.temperature) || sampling.temperature < 0.0f) {
        throw std::invalid_argument("temperature must be >= 0");
    }
    if (!(sampling.top_p > 0.0f && sampling.top_p <= 1.0f)) throw std::invalid_argument("top_p must be in (0, 1]");
    if (sampling.top_k < 0) throw std::invalid_argument("top_k must be >= 0");
    if (!(sampling.min_p >= 0.0f && sampling.min_p <= 1.0f)) throw std::invalid_argument("min_p must be in [0, 1]");
    if (!(sampling.repetition_penalty > 0.0f) || !std::isfinite(sampling.repetition_penalty)) {
        throw std::invalid_argument("repetition_penalty must be a finite number > 0");
    }
    if (!std::isfinite(sampling.presence_penalty) || !std::isfinite(sampling.frequency_penalty)) {
        throw std::invalid_argument("presence and frequency penalties must be finite");
    }
    if (sampling.history_len < 0 || (sampling.history_len > 0 && !sampling.history)) {
        throw std::invalid_argument("penalty history is invalid");
    }
    for (int32_t i = 0; i < sampling.history_len; ++i) {
        if (sampling.history[i] < 0 || sampling.history[i] >= vocab) {
            throw std::invalid_argument("penalty history token " + str(sampling.history[i]) +
                                        " is outside the vocabulary");
        }
    }
}

void check_sampled_row(const Workspace& ws, int32_t row) {
    if (row < 0 || row >= ws.n_logit_rows) {
        throw std::invalid_argument("row " + str(row) + " is not a sampled row of the latest step (it has " +
                                    str(ws.n_logit_rows) + ")");
    }
}

void check_drafter_fits(const DrafterConfig& d, const ModelConfig& c) {
    if (d.dim != c.dim || d.vocab_size != c.vocab_size) {
        throw std::invalid_argument("drafter of dim " + str(d.dim) + " and vocabulary " + str(d.vocab_size) +
                                    " does not fit a model of dim " + str(c.dim) + " and vocabulary " +
                                    str(c.vocab_size));
    }
}

void check_drafter(const Model& model, const DrafterConfig& config, const float* weights, int64_t n_weights) {
    require(weights, "drafter weights");
    check_drafter_fits(config, model.config());
    if (config.mlp_layers < 0 || config.mlp_layers > kMaxDrafterMlpLayers) {
        throw std::invalid_argument("drafter mlp_layers = " + str(config.mlp_layers) + " is outside [0, " +
                                    str(kMaxDrafterMlpLayers) + "]");
    }
    // dim and vocab are bounded by the model's validated config, so the count fits int64.
    const int64_t expected = Drafter::weight_count(config);
    if (n_weights != expected) {
        throw std::invalid_argument("drafter weights hold " + str(n_weights) + " floats but dim " + str(config.dim) +
                                    ", vocabulary " + str(config.vocab_size) + " and " + str(config.mlp_layers) +
                                    " MLP blocks need " + str(expected));
    }
    for (int64_t i = 0; i < n_weights; ++i) {
        if (!std::isfinite(weights[i])) {
            throw std::invalid_argument("drafter weight " + str(i) + " is not a finite number");
        }
    }
}

void check_proposal(const Model& m, int32_t n, const int32_t* tokens, int32_t beams, int32_t length,
                    const int32_t* out_tokens) {
    require(tokens, "tokens");
    require(out_tokens, "output tokens");
    if (n < 0) throw std::invalid_argument("sequence count " + str(n) + " is negative");
    const int32_t vocab = m.config().vocab_size;
    if (beams < 1 || beams > kMaxDraftBeams || beams > vocab) {
        throw std::invalid_argument("beams = " + str(beams) + " is outside [1, " +
                                    str(std::min(kMaxDraftBeams, vocab)) + "]");
    }
    if (length < 1 || length > kMaxDraftLength) {
        throw std::invalid_argument("draft length " + str(length) + " is outside [1, " + str(kMaxDraftLength) + "]");
    }
    for (int32_t i = 0; i < n; ++i) {
        if (tokens[i] < 0 || tokens[i] >= vocab) {
            throw std::invalid_argument("token id " + str(tokens[i]) + " is outside the vocabulary [0, " + str(vocab) +
                                        ")");
        }
    }
}

void check_top_logprobs(int32_t top_n, int32_t vocab, const int32_t* top_tokens, const float* top_logprobs) {
    const int32_t most = std::min(MAX_TOP_LOGPROBS, vocab);
    if (top_n < 0 || top_n > most) {
        throw std::invalid_argument("top_logprobs = " + str(top_n) + " is outside [0, " + str(most) + "]");
    }
    if (top_n > 0) {
        require(top_tokens, "top logprob tokens output");
        require(top_logprobs, "top logprobs output");
    }
}

void check_step(const Model& model, const KvCache& kv, const Workspace& ws, const StepDescriptor& d) {
    check_kv_ops(kv, d.n_kv_ops, d.kv_ops);
    if (d.n_seqs < 0 || d.n_seqs > ws.max_chunk) {
        throw std::invalid_argument("n_seqs = " + str(d.n_seqs) + " is outside [0, " + str(ws.max_chunk) + "]");
    }
    if (d.n_seqs == 0) return;
    check_sequences_arrays(d);
    check_chunk_size(ws, d.n_fed);
    int32_t fed = 0, rows = 0;
    for (int32_t s = 0; s < d.n_seqs; ++s) {
        const int32_t n = d.n_tokens[s];
        if (n < 1 || n > d.n_fed - fed) {
            throw std::invalid_argument("sequence " + str(s) + " feeds " + str(n) + " tokens, but n_fed = " +
                                        str(d.n_fed) + " leaves " + str(d.n_fed - fed));
        }
        check_slice(d.table_offsets[s], d.table_lengths[s], d.n_table_entries, "block table", s);
        const Hole hole = hole_of(d, s);
        check_hole(hole, d.starts[s], kv.block_tokens(), s);
        check_sequence(model, kv, d.tables + d.table_offsets[s], d.table_lengths[s], d.tokens + fed, n, d.starts[s],
                       hole.slots);
        check_slice(d.history_offsets[s], d.history_lengths[s], d.n_history_entries, "penalty history", s);
        check_sampling(sampling_of(d, s), model.config().vocab_size);
        const int32_t mode = d.sample_modes[s];
        if (mode != SAMPLE_LAST && mode != SAMPLE_TREE) {
            throw std::invalid_argument("sampling mode " + str(mode) + " of sequence " + str(s) + " is unknown");
        }
        if (mode == SAMPLE_TREE) check_tree(require(d.parents, "draft tree parents") + fed, n, s);
        if (d.top_logprobs && d.top_logprobs[s] != NO_LOGPROBS) {
            check_top_logprobs(d.top_logprobs[s], model.config().vocab_size, d.out_top_tokens, d.out_top_logprobs);
        }
        rows += mode == SAMPLE_TREE ? n : 1;
        fed += n;
    }
    if (fed != d.n_fed) {
        throw std::invalid_argument("the sequences feed " + str(fed) + " tokens but n_fed = " + str(d.n_fed));
    }
    if (rows > d.output_capacity) {
        throw std::invalid_argument("the step samples " + str(rows) + " rows but output_capacity = " +
                                    str(d.output_capacity));
    }
}

}  // namespace euclid
