// The public entry points of euclid.h: argument checks at the boundary, then
// calls into the model, KV and sampling code, which assume valid input.
#include <cmath>
#include <stdexcept>
#include <string>

#include "euclid/euclid.h"
#include "io/EngineFile.h"
#include "kernels/cpu/Kernels.h"
#include "runtime/Bandwidth.h"
#include "kv/Sequence.h"
#include "model/Forward.h"
#include "model/Model.h"
#include "sampling/Sampler.h"

namespace euclid {

namespace {

template <typename T>
T* require(T* p, const char* what) {
    if (!p) throw std::invalid_argument(std::string(what) + " is null");
    return p;
}

const Model& ready(const Model* model) {
    require(model, "model");
    if (!model->finished()) throw std::logic_error("model is not finished loading");
    return *model;
}

void check_chunk(const Model& model, const Sequence& seq, const int32_t* tokens, int32_t n, int32_t pos) {
    require(tokens, "tokens");
    if (n < 1 || n > seq.max_chunk) {
        throw std::invalid_argument("chunk of " + std::to_string(n) + " tokens is outside [1, " +
                                    std::to_string(seq.max_chunk) + "]");
    }
    if (pos != seq.length) {
        throw std::invalid_argument("position " + std::to_string(pos) + " does not continue the sequence (length " +
                                    std::to_string(seq.length) + ")");
    }
    if (n > seq.capacity - seq.length) {
        throw std::invalid_argument("sequence is full: " + std::to_string(seq.length) + " + " + std::to_string(n) +
                                    " tokens exceed its capacity of " + std::to_string(seq.capacity));
    }
    const int32_t vocab = model.config().vocab_size;
    for (int32_t i = 0; i < n; ++i) {
        if (tokens[i] < 0 || tokens[i] >= vocab) {
            throw std::invalid_argument("token id " + std::to_string(tokens[i]) + " is outside the vocabulary [0, " +
                                        std::to_string(vocab) + ")");
        }
    }
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

int64_t sequence_bytes(const Model* model, int32_t capacity) {
    return Sequence::bytes_needed(*require(model, "model"), capacity, capacity);
}

Sequence* sequence_create(const Model* model, int32_t capacity, int32_t max_chunk) {
    return new Sequence(ready(model), capacity, max_chunk);
}

void sequence_free(Sequence* sequence) { delete sequence; }

int32_t sequence_step(const Model* model, Sequence* sequence, const int32_t* tokens, int32_t n, int32_t pos,
                      const SamplingParams& sampling, int64_t draw, float* logprob) {
    const Model& m = ready(model);
    Sequence& seq = *require(sequence, "sequence");
    check_chunk(m, seq, tokens, n, pos);
    if (std::isnan(sampling.temperature) || sampling.temperature < 0.0f) {
        throw std::invalid_argument("temperature must be >= 0");
    }
    if (!(sampling.top_p > 0.0f && sampling.top_p <= 1.0f)) throw std::invalid_argument("top_p must be in (0, 1]");
    if (sampling.top_k < 0) throw std::invalid_argument("top_k must be >= 0");
    forward(m, seq, tokens, n, nullptr);
    return sample(seq.logits.data(), m.config().vocab_size, sampling, draw, seq.probs.data(), seq.candidates.data(),
                  logprob);
}

void sequence_logits(const Model* model, Sequence* sequence, const int32_t* tokens, int32_t n, int32_t pos,
                     float* out) {
    const Model& m = ready(model);
    Sequence& seq = *require(sequence, "sequence");
    check_chunk(m, seq, tokens, n, pos);
    forward(m, seq, tokens, n, require(out, "logits output"));
}

const char* kernel_isa() { return kernels::isa(); }

}  // namespace euclid
