// The public entry points of euclid.h: argument checks at the boundary, then
// calls into the model, KV and sampling code, which assume valid input.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "euclid/euclid.h"
#include "io/EngineFile.h"
#include "kernels/cpu/Kernels.h"
#include "runtime/Bandwidth.h"
#include "kv/KvCache.h"
#include "model/Forward.h"
#include "model/Model.h"
#include "model/Workspace.h"
#include "runtime/Boundary.h"
#include "sampling/Sampler.h"

namespace euclid {

namespace {

// Checks one sequence's part of a step: token ids, positions within the
// context and the step's chunk limit, and a block table covering their slots
// (positions + `hole`, the slots of a hole before them).
void check_sequence(const Model& model, const KvCache& kv, const int32_t* table, int32_t n_table, const int32_t* tokens,
                    int32_t n, int32_t pos, int32_t hole = 0) {
    require(table, "block table");
    require(tokens, "tokens");
    if (n < 1) throw std::invalid_argument("a sequence must feed at least one token, got " + std::to_string(n));
    const int32_t context = model.config().max_seq_len;
    if (pos < 0 || pos > context - n) {
        throw std::invalid_argument("positions [" + std::to_string(pos) + ", " + std::to_string(int64_t(pos) + n) +
                                    ") exceed the model context of " + std::to_string(context));
    }
    const int64_t slots = int64_t(pos) + hole + n;
    const int64_t needed = (slots + kv.block_tokens() - 1) / kv.block_tokens();
    if (n_table < needed) {
        throw std::invalid_argument("block table of " + std::to_string(n_table) + " blocks cannot hold " +
                                    std::to_string(slots) + " slots");
    }
    for (int64_t i = 0; i < needed; ++i) {
        if (table[i] < 0 || table[i] >= kv.n_blocks()) {
            throw std::invalid_argument("block id " + std::to_string(table[i]) + " is outside the pool of " +
                                        std::to_string(kv.n_blocks()) + " blocks");
        }
    }
    const int32_t vocab = model.config().vocab_size;
    for (int32_t i = 0; i < n; ++i) {
        if (tokens[i] < 0 || tokens[i] >= vocab) {
            throw std::invalid_argument("token id " + std::to_string(tokens[i]) + " is outside the vocabulary [0, " +
                                        std::to_string(vocab) + ")");
        }
    }
}

void check_chunk_size(const Workspace& ws, int64_t n) {
    if (n < 1 || n > ws.max_chunk) {
        throw std::invalid_argument("a step of " + std::to_string(n) + " tokens is outside [1, " +
                                    std::to_string(ws.max_chunk) + "]");
    }
}

// The batch view of one sequence's chunk in the workspace's arrays.
Batch single(Workspace& ws, const int32_t* table, const int32_t* tokens, int32_t n, int32_t pos, bool all_logits) {
    for (int32_t t = 0; t < n; ++t) {
        ws.positions[t] = pos + t;
        ws.tables[t] = table;
        ws.logit_rows[t] = t;
    }
    Batch b;
    b.n = n;
    b.tokens = tokens;
    b.positions = ws.positions.data();
    b.tables = ws.tables.data();
    b.n_logits = all_logits ? n : 1;
    b.logit_rows = all_logits ? ws.logit_rows.data() : ws.logit_rows.data() + (n - 1);
    return b;
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
            throw std::invalid_argument("penalty history token " + std::to_string(sampling.history[i]) + " is outside the vocabulary");
        }
    }
}

// A draft tree: token 0 is the root (the sequence's last committed token) and
// every other token's parent comes before it.
void check_tree(const int32_t* parents, int32_t n, int32_t seq) {
    for (int32_t i = 1; i < n; ++i) {
        if (parents[i] < 0 || parents[i] >= i) {
            throw std::invalid_argument("draft tree of sequence " + std::to_string(seq) + ": parent " +
                                        std::to_string(parents[i]) + " of token " + std::to_string(i) +
                                        " must be an earlier token");
        }
    }
}

// The hole of sequence s as (first position after it, empty slots); (0, 0) without one.
struct Hole {
    int32_t at = 0, slots = 0;
};

Hole hole_of(const int32_t* holes, int32_t s) { return holes ? Hole{holes[2 * s], holes[2 * s + 1]} : Hole{}; }

// A hole sits before the tokens a sequence feeds and is shorter than a block
// (a whole empty block would simply not be in the table).
void check_hole(const Hole& h, int32_t start, int32_t block_tokens, int32_t seq) {
    if (h.slots < 0 || h.slots >= block_tokens || (h.slots > 0 && (h.at < 0 || h.at > start))) {
        throw std::invalid_argument("hole of sequence " + std::to_string(seq) + " (" + std::to_string(h.slots) +
                                    " slots at position " + std::to_string(h.at) + ") must be shorter than a block of " +
                                    std::to_string(block_tokens) + " and lie before position " + std::to_string(start));
    }
}

// Fills the Batch's slot view (Batch::slots and friends) for a step with draft
// trees or holes. A sequence's tokens go to consecutive slots from its first
// token's slot, its position plus the hole before it. A tree token i sits at
// position start + depth(i), keeps its K/V in the root's slot + i, and sees the
// slots up to the root plus its own branch; a linear token sees the slots up to
// its own. Both skip the hole.
void lay_out_slots(Workspace& ws, Batch& b, int32_t n_seqs, const int32_t* n_tokens, const int32_t* starts,
                   const int32_t* holes, const int32_t* modes, const int32_t* parents) {
    int64_t needed = 0;
    for (int32_t s = 0; s < n_seqs; ++s) {
        if (modes[s] == SAMPLE_TREE) needed += int64_t(n_tokens[s]) * (n_tokens[s] + 1) / 2;
    }
    if (int64_t(ws.ancestors.size()) < needed) ws.ancestors.resize(static_cast<size_t>(needed));
    int64_t t0 = 0, written = 0;
    for (int32_t s = 0; s < n_seqs; ++s) {
        const int32_t n = n_tokens[s], start = starts[s];
        const Hole h = hole_of(holes, s);
        const int32_t first_slot = start + h.slots;
        for (int32_t i = 0; i < n; ++i) {
            const int64_t t = t0 + i;
            ws.ancestor_offsets[t] = static_cast<int32_t>(written);
            ws.hole_begin[t] = h.at;
            ws.hole_end[t] = h.at + h.slots;
            ws.slots[t] = first_slot + i;
            if (modes[s] != SAMPLE_TREE || i == 0) {
                ws.prefix[t] = first_slot + i + 1;
                continue;
            }
            const int32_t* p = parents + t0;
            int32_t d = 0;
            for (int32_t a = i; a != 0; a = p[a]) ++d;
            ws.positions[t] = start + d;
            ws.prefix[t] = first_slot + 1;
            // The branch root side first: walk up into the tail of this token's range, then it is in order.
            for (int32_t a = i, k = d - 1; a != 0; a = p[a], --k) ws.ancestors[written + k] = first_slot + a;
            written += d;
        }
        t0 += n;
    }
    ws.ancestor_offsets[t0] = static_cast<int32_t>(written);
    b.slots = ws.slots.data();
    b.prefix = ws.prefix.data();
    b.ancestor_offsets = ws.ancestor_offsets.data();
    b.ancestors = ws.ancestors.data();
    b.hole_begin = ws.hole_begin.data();
    b.hole_end = ws.hole_end.data();
}

SampleScratch scratch(Workspace& ws) {
    return SampleScratch{ws.probs.data(), ws.candidates.data(), ws.penalized.data(), ws.counts.data()};
}

}  // namespace

Model* model_create(const ModelConfig& config, int32_t threads, int32_t weights) {
    return new Model(config, threads, weights);
}

void model_load_tensor(Model* model, const char* name, const char* path, int32_t dtype, int64_t offset,
                       int64_t nbytes, const int64_t* shape, int32_t ndim) {
    require(model, "model");
    require(name, "tensor name");
    require(path, "path");
    if (ndim < 1 || ndim > 8) throw std::invalid_argument("tensor '" + std::string(name) + "': bad rank " + std::to_string(ndim));
    require(shape, "shape");
    model->load_tensor(name, path, dtype, offset, nbytes, std::vector<int64_t>(shape, shape + ndim));
}

void model_finish(Model* model) { require(model, "model")->finish(); }

void model_free(Model* model) { delete model; }

int32_t model_threads(const Model* model) { return require(model, "model")->pool().size(); }

ModelConfig model_config(const Model* model) { return require(model, "model")->config(); }

int32_t model_weights(const Model* model) { return require(model, "model")->weight_type(); }

int64_t model_bytes_per_token(const Model* model) {
    const Model& m = ready(model);
    int64_t bytes = 0;
    for (const auto& [name, t] : m.tensors()) {
        if (name != "tok_embeddings") bytes += t->data_bytes() + t->scale_bytes();
    }
    if (m.config().tied_embeddings) {
        const Matrix& o = m.output;
        bytes += o.rows * o.cols * weight_element_bytes(o.type) + (weight_type_has_scales(o.type) ? o.rows * 4 : 0);
    }
    return bytes;
}

void model_save(const Model* model, const char* path, const char* metadata_json) {
    save_engine(ready(model), require(path, "path"), require(metadata_json, "metadata"));
}

Model* model_open(const char* path, int32_t threads) { return open_engine(require(path, "path"), threads); }

std::string engine_file_metadata(const char* path) { return engine_metadata(require(path, "path")); }

double measure_read_bandwidth(int64_t bytes, int32_t threads) { return read_bandwidth(bytes, threads); }

int64_t kv_bytes_per_block(const Model* model, int32_t block_tokens, int32_t kv_type) {
    return KvCache::bytes_per_block(*require(model, "model"), block_tokens, kv_type);
}

KvCache* kv_create(const Model* model, int64_t n_blocks, int32_t block_tokens, int32_t kv_type) {
    return new KvCache(ready(model), n_blocks, block_tokens, kv_type);
}

void kv_free(KvCache* kv) { delete kv; }

void kv_copy_block(KvCache* kv, int32_t src, int32_t dst) {
    require(kv, "kv cache");
    if (src < 0 || src >= kv->n_blocks() || dst < 0 || dst >= kv->n_blocks()) {
        throw std::invalid_argument("block copy " + std::to_string(src) + " -> " + std::to_string(dst) +
                                    " is outside the pool of " + std::to_string(kv->n_blocks()) + " blocks");
    }
    kv->copy_block(src, dst);
}

void kv_move_tokens(KvCache* kv, const int32_t* table, int32_t n_table, const int32_t* from, const int32_t* to,
                    int32_t n) {
    require(kv, "kv cache");
    require(table, "block table");
    require(from, "source slots");
    require(to, "target slots");
    if (n < 0 || n_table < 0) throw std::invalid_argument("negative token or table count");
    const int32_t bt = kv->block_tokens();
    auto block_of = [&](int32_t slot) {
        if (slot < 0 || slot / bt >= n_table) {
            throw std::invalid_argument("slot " + std::to_string(slot) + " is outside a block table of " +
                                        std::to_string(n_table) + " blocks");
        }
        const int32_t block = table[slot / bt];
        if (block < 0 || block >= kv->n_blocks()) {
            throw std::invalid_argument("block id " + std::to_string(block) + " is outside the pool of " +
                                        std::to_string(kv->n_blocks()) + " blocks");
        }
        return block;
    };
    for (int32_t i = 0; i < n; ++i) {
        block_of(from[i]);
        block_of(to[i]);
    }
    for (int32_t i = 0; i < n; ++i) {
        if (from[i] != to[i]) kv->copy_token(block_of(from[i]), from[i] % bt, block_of(to[i]), to[i] % bt);
    }
}

Workspace* workspace_create(const Model* model, int32_t max_chunk) { return new Workspace(ready(model), max_chunk); }

void workspace_free(Workspace* ws) { delete ws; }

int32_t resample(const Model* model, Workspace* ws, int32_t row, const SamplingParams& sampling, int64_t draw,
                 float* logprob) {
    const Model& m = ready(model);
    require(ws, "workspace");
    const int32_t vocab = m.config().vocab_size;
    check_sampling(sampling, vocab);
    if (row < 0 || row >= ws->max_chunk) throw std::invalid_argument("logits row " + std::to_string(row) + " is out of range");
    return sample(ws->logits.data() + int64_t(row) * vocab, vocab, sampling, draw, scratch(*ws), logprob);
}

void step_logits(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, float* out) {
    const Model& m = ready(model);
    require(kv, "kv cache");
    require(ws, "workspace");
    check_chunk_size(*ws, n);
    check_sequence(m, *kv, block_table, n_table, tokens, n, pos);
    forward(m, *kv, *ws, single(*ws, block_table, tokens, n, pos, true), require(out, "logits output"));
    ws->n_logit_rows = n;
}

void step_hidden(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, float* hidden_out, float* logits_out) {
    const Model& m = ready(model);
    require(kv, "kv cache");
    require(ws, "workspace");
    require(hidden_out, "hidden output");
    check_chunk_size(*ws, n);
    check_sequence(m, *kv, block_table, n_table, tokens, n, pos);
    forward(m, *kv, *ws, single(*ws, block_table, tokens, n, pos, true), logits_out ? logits_out : ws->logits.data());
    ws->n_logit_rows = n;
    // forward leaves the final-normed hidden state of logit row i in xb row i (the head's input).
    std::copy(ws->xb.begin(), ws->xb.begin() + int64_t(n) * m.config().dim, hidden_out);
}

void step_batch(const Model* model, KvCache* kv, Workspace* ws, int32_t n_seqs, const int32_t* n_tokens,
                const int32_t* tokens, const int32_t* starts, const int32_t* tables, int32_t n_table_entries,
                const int32_t* table_offsets, const int32_t* table_lengths, const int32_t* holes,
                const float* temperatures, const int32_t* top_ks, const float* top_ps, const float* min_ps,
                const float* penalties, const int32_t* history, int32_t n_history_entries,
                const int32_t* history_offsets, const int32_t* history_lengths, const int64_t* seeds,
                const int64_t* draws, const int32_t* sample_modes, const int32_t* parents, int32_t* out_tokens,
                float* out_logprobs) {
    const Model& m = ready(model);
    require(kv, "kv cache");
    require(ws, "workspace");
    for (const void* p : {static_cast<const void*>(n_tokens), static_cast<const void*>(tokens),
                          static_cast<const void*>(starts), static_cast<const void*>(tables),
                          static_cast<const void*>(table_offsets), static_cast<const void*>(table_lengths),
                          static_cast<const void*>(temperatures), static_cast<const void*>(top_ks),
                          static_cast<const void*>(top_ps), static_cast<const void*>(min_ps),
                          static_cast<const void*>(penalties), static_cast<const void*>(history_offsets),
                          static_cast<const void*>(history_lengths), static_cast<const void*>(seeds),
                          static_cast<const void*>(draws), static_cast<const void*>(sample_modes),
                          static_cast<const void*>(out_tokens)}) {
        require(p, "step_batch array");
    }
    check_chunk_size(*ws, n_seqs);
    std::vector<SamplingParams> params(static_cast<size_t>(n_seqs));
    std::vector<int32_t> row_seq;  // for every sampled row, its sequence
    int64_t total = 0;
    bool any_tree = false, any_hole = false;
    for (int32_t s = 0; s < n_seqs; ++s) {
        if (n_tokens[s] < 1 || n_tokens[s] > ws->max_chunk - total) check_chunk_size(*ws, total + n_tokens[s]);
        if (table_offsets[s] < 0 || table_lengths[s] < 0 || table_offsets[s] > n_table_entries ||
            table_lengths[s] > n_table_entries - table_offsets[s]) {
            throw std::invalid_argument("block table slice of sequence " + std::to_string(s) + " is out of range");
        }
        const Hole hole = hole_of(holes, s);
        check_hole(hole, starts[s], kv->block_tokens(), s);
        any_hole |= hole.slots > 0;
        check_sequence(m, *kv, tables + table_offsets[s], table_lengths[s], tokens + total, n_tokens[s], starts[s],
                       hole.slots);
        params[s].temperature = temperatures[s];
        params[s].top_k = top_ks[s];
        params[s].top_p = top_ps[s];
        params[s].min_p = min_ps[s];
        params[s].seed = static_cast<uint64_t>(seeds[s]);
        params[s].repetition_penalty = penalties[3 * s];
        params[s].presence_penalty = penalties[3 * s + 1];
        params[s].frequency_penalty = penalties[3 * s + 2];
        if (history_lengths[s] > 0) {
            if (!history || history_offsets[s] < 0 || history_offsets[s] > n_history_entries ||
                history_lengths[s] > n_history_entries - history_offsets[s]) {
                throw std::invalid_argument("penalty history slice of sequence " + std::to_string(s) + " is out of range");
            }
            params[s].history = history + history_offsets[s];
            params[s].history_len = history_lengths[s];
        }
        check_sampling(params[s], m.config().vocab_size);
        if (sample_modes[s] < SAMPLE_LAST || sample_modes[s] > SAMPLE_TREE) {
            throw std::invalid_argument("sampling mode " + std::to_string(sample_modes[s]) + " of sequence " +
                                        std::to_string(s) + " is unknown");
        }
        for (int32_t i = 0; i < n_tokens[s]; ++i) {
            ws->positions[total + i] = starts[s] + i;
            ws->tables[total + i] = tables + table_offsets[s];
        }
        if (sample_modes[s] == SAMPLE_TREE) {
            if (n_tokens[s] > MAX_TREE_TOKENS) {
                throw std::invalid_argument("a draft tree of " + std::to_string(n_tokens[s]) + " tokens exceeds " +
                                            std::to_string(MAX_TREE_TOKENS));
            }
            check_tree(require(parents, "draft tree parents") + total, n_tokens[s], s);
            any_tree = true;
        }
        // Verification (speculative decoding) samples after every fed token, else after the last.
        for (int32_t i = sample_modes[s] == SAMPLE_TREE ? 0 : n_tokens[s] - 1; i < n_tokens[s]; ++i) {
            ws->logit_rows[row_seq.size()] = static_cast<int32_t>(total + i);
            row_seq.push_back(s);
        }
        total += n_tokens[s];
    }
    Batch b;
    b.n = static_cast<int32_t>(total);
    b.tokens = tokens;
    b.positions = ws->positions.data();
    b.tables = ws->tables.data();
    b.n_logits = static_cast<int32_t>(row_seq.size());
    b.logit_rows = ws->logit_rows.data();
    if (any_tree || any_hole) lay_out_slots(*ws, b, n_seqs, n_tokens, starts, holes, sample_modes, parents);
    ws->n_logit_rows = 0;  // until forward has filled them
    forward(m, *kv, *ws, b, ws->logits.data());
    ws->n_logit_rows = b.n_logits;
    const int32_t vocab = m.config().vocab_size;
    // Row r samples the token at position positions[row] + 1: its draw, whether or not it is verified.
    for (size_t r = 0; r < row_seq.size(); ++r) {
        const int32_t s = row_seq[r];
        const int32_t row = ws->logit_rows[r];
        const int64_t draw = sample_modes[s] == SAMPLE_TREE ? int64_t(ws->positions[row]) + 1 : draws[s];
        out_tokens[r] = sample(ws->logits.data() + int64_t(r) * vocab, vocab, params[s], draw, scratch(*ws),
                               out_logprobs ? out_logprobs + r : nullptr);
    }
}

const char* kernel_isa() { return kernels::isa(); }

}  // namespace euclid
