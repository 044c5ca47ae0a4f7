// The public entry points of euclid.h: the checks of runtime/Boundary.h, then
// calls into the model, KV and sampling code, which assume valid input.
#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "euclid/euclid.h"
#include "io/EngineFile.h"
#include "kernels/cpu/Kernels.h"
#include "runtime/Bandwidth.h"
#include "kv/KvCache.h"
#include "model/BatchLayout.h"
#include "model/Forward.h"
#include "model/Model.h"
#include "model/Workspace.h"
#include "runtime/Boundary.h"
#include "sampling/Sampler.h"

namespace euclid {

namespace {

// Pool thread `thread`'s sampling workspace.
SampleScratch scratch(Workspace& ws, const ModelConfig& config, int thread) {
    const int64_t at = int64_t(thread) * config.vocab_size;
    return SampleScratch{ws.probs.data() + at, ws.candidates.data() + at, ws.penalized.data() + at, ws.counts.data() + at};
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

void model_set_activations(Model* model, int32_t activations) {
    if (activations != ACTIVATIONS_FP32 && activations != ACTIVATIONS_INT8 && activations != ACTIVATIONS_BF16) {
        throw std::invalid_argument("unknown activation type " + std::to_string(activations) + " (0 = FP32, 1 = INT8, 2 = BF16)");
    }
    Model* m = require(model, "model");
    ready(m);  // the VNNI copies are made of the finished model's matrices
    m->set_activations(activations);
}

int32_t model_activations(const Model* model) { return require(model, "model")->activations(); }

int64_t model_int8_copy_bytes(const Model* model) { return ready(model).int8_copy_bytes(); }

int64_t model_bytes_per_token(const Model* model) {
    const Model& m = ready(model);
    int64_t bytes = 0;
    for (const auto& [name, t] : m.tensors()) {
        if (name != "tok_embeddings") bytes += t->data_bytes() + t->scale_bytes();
    }
    if (m.config().tied_embeddings) {
        const Matrix& o = m.output;
        bytes += o.rows * weight_row_bytes(o.type, o.cols) + weight_scale_count(o.type, o.rows) * 4;
    }
    return bytes;
}

void model_save(const Model* model, const char* path, const char* metadata_json) {
    save_engine(ready(model), require(path, "path"), require(metadata_json, "metadata"));
}

Model* model_open(const char* path, int32_t threads, int32_t mapped) {
    return open_engine(require(path, "path"), threads, mapped != 0);
}

std::string engine_file_metadata(const char* path) { return engine_metadata(require(path, "path")); }

double measure_read_bandwidth(int64_t bytes, int32_t threads) { return read_bandwidth(bytes, threads); }

int64_t kv_bytes_per_block(const Model* model, int32_t block_tokens, int32_t kv_type) {
    return KvCache::bytes_per_block(*require(model, "model"), block_tokens, kv_type);
}

KvCache* kv_create(const Model* model, int64_t n_blocks, int32_t block_tokens, int32_t kv_type) {
    return new KvCache(ready(model), n_blocks, block_tokens, kv_type);
}

void kv_free(KvCache* kv) { delete kv; }

Workspace* workspace_create(const Model* model, int32_t max_chunk) { return new Workspace(ready(model), max_chunk); }

void workspace_free(Workspace* ws) { delete ws; }

int32_t resample(const Model* model, Workspace* ws, int32_t row, const SamplingParams& sampling, int64_t draw,
                 float* logprob, int32_t top_n, int32_t* top_tokens, float* top_logprobs) {
    const Model& m = ready(model);
    require(ws, "workspace");
    const int32_t vocab = m.config().vocab_size;
    check_sampling(sampling, vocab);
    check_sampled_row(*ws, row);
    check_top_logprobs(top_n, vocab, top_tokens, top_logprobs);
    return sample(ws->logits.data() + int64_t(row) * vocab, vocab, sampling, draw, scratch(*ws, m.config(), 0),
                  LogprobOutput{logprob, top_n, top_tokens, top_logprobs});
}

void step_logits(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, float* out) {
    const Model& m = ready(model);
    require(kv, "kv cache");
    require(ws, "workspace");
    check_chunk_size(*ws, n);
    check_sequence(m, *kv, block_table, n_table, tokens, n, pos);
    m.backend().forward(m, *kv, *ws, lay_out_chunk(*ws, block_table, tokens, n, pos), require(out, "logits output"));
    ws->n_logit_rows = n;
}

void step_scores(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, const int32_t* next, int32_t top_n, float* out_logprobs,
                 int32_t* out_top_tokens, float* out_top_logprobs) {
    const Model& m = ready(model);
    require(kv, "kv cache");
    require(ws, "workspace");
    check_chunk_size(*ws, n);
    check_sequence(m, *kv, block_table, n_table, tokens, n, pos);
    check_token_ids(m, require(next, "next tokens"), n);
    const int32_t vocab = m.config().vocab_size;
    check_top_logprobs(top_n, vocab, out_top_tokens, out_top_logprobs);
    require(out_logprobs, "logprobs output");
    m.backend().forward(m, *kv, *ws, lay_out_chunk(*ws, block_table, tokens, n, pos), ws->logits.data());
    ws->n_logit_rows = n;
    for (int32_t i = 0; i < n; ++i) {
        const LogprobOutput out{out_logprobs + i, top_n, top_n > 0 ? out_top_tokens + int64_t(i) * top_n : nullptr,
                                top_n > 0 ? out_top_logprobs + int64_t(i) * top_n : nullptr};
        report_logprobs(ws->logits.data() + int64_t(i) * vocab, vocab, next[i], out);
    }
}

void step_hidden(const Model* model, KvCache* kv, Workspace* ws, const int32_t* block_table, int32_t n_table,
                 const int32_t* tokens, int32_t n, int32_t pos, float* hidden_out, float* logits_out) {
    const Model& m = ready(model);
    require(kv, "kv cache");
    require(ws, "workspace");
    require(hidden_out, "hidden output");
    check_chunk_size(*ws, n);
    check_sequence(m, *kv, block_table, n_table, tokens, n, pos);
    m.backend().forward(m, *kv, *ws, lay_out_chunk(*ws, block_table, tokens, n, pos), logits_out ? logits_out : ws->logits.data());
    ws->n_logit_rows = n;
    // forward leaves the final-normed hidden state of logit row i in xb row i (the head's input).
    std::copy(ws->xb.begin(), ws->xb.begin() + int64_t(n) * m.config().dim, hidden_out);
}

void step(const Model* model, KvCache* kv, Workspace* ws, const StepDescriptor& d) {
    const Model& m = ready(model);
    require(kv, "kv cache");
    require(ws, "workspace");
    check_step(m, *kv, *ws, d);
    kv->apply(d.kv_ops, d.n_kv_ops);
    if (d.n_seqs == 0) return;
    const Batch b = lay_out_step(*ws, d);
    ws->n_logit_rows = 0;  // until forward has filled them
    m.backend().forward(m, *kv, *ws, b, ws->logits.data());
    ws->n_logit_rows = b.n_logits;
    const int32_t vocab = m.config().vocab_size;
    // Row r samples the token at position positions[row] + 1: its draw, whether or not it is verified.
    // Rows are independent (each its own draw), so the pool samples them in parallel.
    m.pool().parallel_for(b.n_logits, [&](int thread, int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            const int32_t s = ws->row_sequence[r];
            const int32_t row = ws->logit_rows[r];
            const int64_t draw = d.sample_modes[s] == SAMPLE_TREE ? int64_t(ws->positions[row]) + 1 : d.draws[s];
            const int32_t top_n = d.top_logprobs ? std::max(d.top_logprobs[s], 0) : 0;
            const bool wanted = !d.top_logprobs || d.top_logprobs[s] != NO_LOGPROBS;
            if (!wanted && d.out_logprobs) d.out_logprobs[r] = std::numeric_limits<float>::quiet_NaN();
            const LogprobOutput out{wanted && d.out_logprobs ? d.out_logprobs + r : nullptr, top_n,
                                    top_n > 0 ? d.out_top_tokens + r * MAX_TOP_LOGPROBS : nullptr,
                                    top_n > 0 ? d.out_top_logprobs + r * MAX_TOP_LOGPROBS : nullptr};
            d.out_tokens[r] = sample(ws->logits.data() + r * vocab, vocab, sampling_of(d, s), draw,
                                     scratch(*ws, m.config(), thread), out);
        }
    });
}

const char* kernel_isa() { return kernels::isa(); }

int32_t activations_kernel(int32_t weights, int32_t activations) {
    if (!weight_type_valid(weights)) throw std::invalid_argument("unknown weight type " + std::to_string(weights));
    if (activations != ACTIVATIONS_FP32 && activations != ACTIVATIONS_INT8 && activations != ACTIVATIONS_BF16) {
        throw std::invalid_argument("unknown activation type " + std::to_string(activations));
    }
    return kernels::has_kernel(weights, activations) ? 1 : 0;
}

}  // namespace euclid
