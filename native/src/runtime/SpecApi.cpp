// The speculative-decoding entry points of euclid.h: the checks of
// runtime/Boundary.h, then the drafter (spec/Drafter.h), which assumes valid input.
#include <stdexcept>
#include <string>

#include "euclid/euclid.h"
#include "model/Model.h"
#include "model/Workspace.h"
#include "runtime/Boundary.h"
#include "quant/Quantize.h"
#include "spec/Drafter.h"

namespace euclid {

Drafter* drafter_create(const Model* model, const DrafterConfig& config, const float* weights, int64_t n_weights) {
    check_drafter(ready(model), config, weights, n_weights);
    return new Drafter(config, weights);
}

void drafter_free(Drafter* d) { delete d; }

void drafter_propose(const Drafter* d, const Model* model, Workspace* ws, int32_t n, const int32_t* rows,
                     const int32_t* tokens, int32_t beams, int32_t length, int32_t* out_tokens, float* out_scores) {
    require(d, "drafter");
    const Model& m = ready(model);
    require(ws, "workspace");
    require(rows, "rows");
    check_drafter_fits(d->config(), m.config());
    check_proposal(m, n, tokens, beams, length, out_tokens);
    for (int32_t i = 0; i < n; ++i) check_sampled_row(*ws, rows[i]);
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
    check_drafter_fits(d->config(), m.config());
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
    const std::string stored = which == "output" && m.config().tied_embeddings ? "tok_embeddings" : which;
    const StoredTensor* t = nullptr;
    for (const auto& [tensor_name, tensor] : m.tensors()) {
        if (tensor_name == stored) t = tensor;
    }
    bool matrix = false;
    try {
        matrix = m.expected_shape(stored).size() == 2;
    } catch (const std::invalid_argument&) {
    }
    if (!t || !matrix) throw std::invalid_argument("tensor '" + which + "' is not a weight matrix of this model");
    const Matrix w = t->matrix();
    if (n != w.rows * w.cols) {
        throw std::invalid_argument("tensor '" + which + "' has " + std::to_string(w.rows * w.cols) +
                                    " elements, not " + std::to_string(n));
    }
    for (int64_t r = 0; r < w.rows; ++r) dequantize_row(w.data, w.scales, w.type, r, w.cols, out + r * w.cols);
}

}  // namespace euclid
