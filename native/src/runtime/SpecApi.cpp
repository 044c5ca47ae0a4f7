// The speculative-decoding entry points of euclid.h: argument checks at the
// boundary, then the drafter (spec/Drafter.h), which assumes valid input.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "euclid/euclid.h"
#include "model/Model.h"
#include "model/Workspace.h"
#include "runtime/Boundary.h"
#include "quant/Quantize.h"
#include "spec/Drafter.h"

namespace euclid {

namespace {

// A drafter must be made for its base model: it reads the model's hidden states and embedding rows.
void check_fits(const DrafterConfig& d, const ModelConfig& c) {
    if (d.dim != c.dim || d.vocab_size != c.vocab_size) {
        throw std::invalid_argument("drafter of dim " + std::to_string(d.dim) + " and vocabulary " +
                                    std::to_string(d.vocab_size) + " does not fit a model of dim " +
                                    std::to_string(c.dim) + " and vocabulary " + std::to_string(c.vocab_size));
    }
}

void check_proposal(const Model& m, int32_t n, const int32_t* tokens, int32_t beams, int32_t length,
                    const int32_t* out_tokens) {
    require(tokens, "tokens");
    require(out_tokens, "output tokens");
    if (n < 0) throw std::invalid_argument("sequence count " + std::to_string(n) + " is negative");
    const int32_t vocab = m.config().vocab_size;
    if (beams < 1 || beams > kMaxDraftBeams || beams > vocab) {
        throw std::invalid_argument("beams = " + std::to_string(beams) + " is outside [1, " +
                                    std::to_string(std::min(kMaxDraftBeams, vocab)) + "]");
    }
    if (length < 1 || length > kMaxDraftLength) {
        throw std::invalid_argument("draft length " + std::to_string(length) + " is outside [1, " +
                                    std::to_string(kMaxDraftLength) + "]");
    }
    for (int32_t i = 0; i < n; ++i) {
        if (tokens[i] < 0 || tokens[i] >= vocab) {
            throw std::invalid_argument("token id " + std::to_string(tokens[i]) + " is outside the vocabulary [0, " +
                                        std::to_string(vocab) + ")");
        }
    }
}

}  // namespace

Drafter* drafter_create(const Model* model, const DrafterConfig& config, const float* weights, int64_t n_weights) {
    require(weights, "drafter weights");
    check_fits(config, ready(model).config());
    if (config.mlp_layers < 0 || config.mlp_layers > kMaxDrafterMlpLayers) {
        throw std::invalid_argument("drafter mlp_layers = " + std::to_string(config.mlp_layers) + " is outside [0, " +
                                    std::to_string(kMaxDrafterMlpLayers) + "]");
    }
    // dim and vocab are bounded by the model's validated config, so the count fits int64.
    const int64_t expected = Drafter::weight_count(config);
    if (n_weights != expected) {
        throw std::invalid_argument("drafter weights hold " + std::to_string(n_weights) + " floats but dim " +
                                    std::to_string(config.dim) + ", vocabulary " + std::to_string(config.vocab_size) +
                                    " and " + std::to_string(config.mlp_layers) + " MLP blocks need " +
                                    std::to_string(expected));
    }
    for (int64_t i = 0; i < n_weights; ++i) {
        if (!std::isfinite(weights[i])) {
            throw std::invalid_argument("drafter weight " + std::to_string(i) + " is not a finite number");
        }
    }
    return new Drafter(config, weights);
}

void drafter_free(Drafter* d) { delete d; }

void drafter_propose(const Drafter* d, const Model* model, Workspace* ws, int32_t n, const int32_t* rows,
                     const int32_t* tokens, int32_t beams, int32_t length, int32_t* out_tokens, float* out_scores) {
    require(d, "drafter");
    const Model& m = ready(model);
    require(ws, "workspace");
    require(rows, "rows");
    check_fits(d->config(), m.config());
    check_proposal(m, n, tokens, beams, length, out_tokens);
    for (int32_t i = 0; i < n; ++i) {
        if (rows[i] < 0 || rows[i] >= ws->n_logit_rows) {
            throw std::invalid_argument("row " + std::to_string(rows[i]) + " is not a logits row of the latest step (it has " +
                                        std::to_string(ws->n_logit_rows) + ")");
        }
    }
    const int64_t dim = m.config().dim;
    for (int32_t i = 0; i < n; ++i) {
        d->propose(m, ws->xb.data() + rows[i] * dim, tokens[i], beams, length,
                   out_tokens + int64_t(i) * beams * length, out_scores ? out_scores + int64_t(i) * beams : nullptr);
    }
}

void drafter_propose_hidden(const Drafter* d, const Model* model, const float* hidden, int32_t n,
                            const int32_t* tokens, int32_t beams, int32_t length, int32_t* out_tokens,
                            float* out_scores) {
    require(d, "drafter");
    const Model& m = ready(model);
    require(hidden, "hidden states");
    check_fits(d->config(), m.config());
    check_proposal(m, n, tokens, beams, length, out_tokens);
    const int64_t dim = m.config().dim;
    for (int32_t i = 0; i < n; ++i) {
        d->propose(m, hidden + i * dim, tokens[i], beams, length, out_tokens + int64_t(i) * beams * length,
                   out_scores ? out_scores + int64_t(i) * beams : nullptr);
    }
}

void model_tensor_f32(const Model* model, const char* name, float* out, int64_t n) {
    const Model& m = ready(model);
    const std::string which = require(name, "tensor name");
    require(out, "output");
    if (which != "tok_embeddings" && which != "output") {
        throw std::invalid_argument("tensor '" + which + "' cannot be copied (tok_embeddings or output)");
    }
    const Matrix& w = which == "output" ? m.output : m.tok_embeddings;
    if (n != w.rows * w.cols) {
        throw std::invalid_argument("tensor '" + which + "' has " + std::to_string(w.rows * w.cols) +
                                    " elements, not " + std::to_string(n));
    }
    for (int64_t r = 0; r < w.rows; ++r) dequantize_row(w.data, w.scales, w.type, r, w.cols, out + r * w.cols);
}

}  // namespace euclid
