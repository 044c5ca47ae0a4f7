#include "spec/Drafter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/cpu/Kernels.h"
#include "model/Model.h"
#include "quant/Quantize.h"

namespace euclid {

namespace {

Matrix f32_matrix(const float* data, int64_t rows, int64_t cols) {
    return Matrix{WEIGHTS_F32, reinterpret_cast<const uint8_t*>(data), nullptr, rows, cols, nullptr};
}

float silu(float x) { return x / (1.0f + std::exp(-x)); }

// In-place log-softmax: x[i] - max - log(sum(exp(x - max))).
void log_softmax(float* x, int64_t n) {
    float max = x[0];
    for (int64_t i = 1; i < n; ++i) max = std::max(max, x[i]);
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += std::exp(double(x[i]) - max);
    const float shift = max + static_cast<float>(std::log(sum));
    for (int64_t i = 0; i < n; ++i) x[i] -= shift;
}

}  // namespace

int64_t Drafter::weight_count(const DrafterConfig& c) {
    const int64_t d = c.dim;
    return (2 * d * d + d) + (2 * d * d + d) + int64_t(c.mlp_layers) * (d * d + d) + int64_t(c.vocab_size) * d;
}

Drafter::Drafter(const DrafterConfig& config, const float* weights)
    : config_(config), weights_(weights, weights + weight_count(config)) {
    const int64_t d = config.dim;
    const float* p = weights_.data();
    auto take = [&](int64_t n) {
        const float* at = p;
        p += n;
        return at;
    };
    w_ = f32_matrix(take(d * d), d, d);
    u_ = f32_matrix(take(d * d), d, d);
    b_ = take(d);
    a_ = f32_matrix(take(2 * d * d), d, 2 * d);
    a_bias_ = take(d);
    for (int32_t l = 0; l < config.mlp_layers; ++l) {
        res_.push_back(f32_matrix(take(d * d), d, d));
        res_bias_.push_back(take(d));
    }
    head_ = f32_matrix(take(int64_t(config.vocab_size) * d), config.vocab_size, d);
}

void Drafter::reserve(int32_t beams) const {
    if (s_.beams >= beams) return;
    const int64_t n = beams, d = config_.dim;
    for (auto* v : {&s_.emb, &s_.state, &s_.next_state, &s_.m, &s_.tmp}) v->resize(n * d);
    s_.z.resize(n * 2 * d);
    s_.logits.resize(n * config_.vocab_size);
    s_.score.resize(n);
    s_.next_score.resize(n);
    s_.drafts.resize(n * kMaxDraftLength);
    s_.next_drafts.resize(n * kMaxDraftLength);
    s_.pick_beam.resize(n);
    s_.pick_token.resize(n);
    s_.beams = beams;
}

void Drafter::step(const Model& model, const float* h, int32_t n) const {
    ThreadPool& pool = model.pool();
    const int64_t d = config_.dim;
    // s_k = SiLU(W e(x) + U s_{k-1} + b)
    kernels::matmul(pool, s_.next_state.data(), s_.emb.data(), w_, b_, n);
    kernels::matmul(pool, s_.tmp.data(), s_.state.data(), u_, nullptr, n);
    for (int64_t i = 0; i < n * d; ++i) s_.next_state[i] = silu(s_.next_state[i] + s_.tmp[i]);
    // m = A [h ; s_k] + a, then m += SiLU(R_l m + r_l) per residual block.
    for (int64_t j = 0; j < n; ++j) {
        std::memcpy(s_.z.data() + j * 2 * d, h, sizeof(float) * d);
        std::memcpy(s_.z.data() + j * 2 * d + d, s_.next_state.data() + j * d, sizeof(float) * d);
    }
    kernels::matmul(pool, s_.m.data(), s_.z.data(), a_, a_bias_, n);
    for (size_t l = 0; l < res_.size(); ++l) {
        kernels::matmul(pool, s_.tmp.data(), s_.m.data(), res_[l], res_bias_[l], n);
        for (int64_t i = 0; i < n * d; ++i) s_.m[i] += silu(s_.tmp[i]);
    }
    kernels::matmul(pool, s_.logits.data(), s_.m.data(), head_, nullptr, n);
    for (int64_t j = 0; j < n; ++j) log_softmax(s_.logits.data() + j * config_.vocab_size, config_.vocab_size);
}

int32_t Drafter::select(int32_t n, int32_t beams) const {
    // Insertion into a list sorted best first; a candidate must beat the worst
    // kept one strictly, so ties keep the earlier (beam, token) and the result
    // is deterministic. Most of the n * vocab candidates fail that one compare.
    const int32_t vocab = config_.vocab_size;
    int32_t kept = 0;
    for (int32_t j = 0; j < n; ++j) {
        const float* lp = s_.logits.data() + int64_t(j) * vocab;
        for (int32_t v = 0; v < vocab; ++v) {
            const float score = s_.score[j] + lp[v];
            if (kept == beams && !(score > s_.next_score[kept - 1])) continue;
            int32_t at = kept < beams ? kept++ : beams - 1;
            while (at > 0 && score > s_.next_score[at - 1]) {
                s_.next_score[at] = s_.next_score[at - 1];
                s_.pick_beam[at] = s_.pick_beam[at - 1];
                s_.pick_token[at] = s_.pick_token[at - 1];
                --at;
            }
            s_.next_score[at] = score;
            s_.pick_beam[at] = j;
            s_.pick_token[at] = v;
        }
    }
    return kept;
}

void Drafter::propose(const Model& model, const float* h, int32_t token, int32_t beams, int32_t length,
                      int32_t* out_tokens, float* out_scores) const {
    reserve(beams);
    const int64_t d = config_.dim;
    const Matrix& emb = model.tok_embeddings;
    // One live beam to start: state h, input the base model's token, score 0.
    int32_t live = 1;
    std::memcpy(s_.state.data(), h, sizeof(float) * d);
    dequantize_row(emb.data, emb.scales, emb.type, token, d, s_.emb.data());
    s_.score[0] = 0.0f;
    for (int32_t k = 0; k < length; ++k) {
        step(model, h, live);
        const int32_t kept = select(live, beams);
        for (int32_t i = 0; i < kept; ++i) {
            const int32_t from = s_.pick_beam[i];
            std::copy_n(s_.drafts.data() + int64_t(from) * kMaxDraftLength, k,
                        s_.next_drafts.data() + int64_t(i) * kMaxDraftLength);
            s_.next_drafts[int64_t(i) * kMaxDraftLength + k] = s_.pick_token[i];
            std::memcpy(s_.state.data() + i * d, s_.next_state.data() + from * d, sizeof(float) * d);
            dequantize_row(emb.data, emb.scales, emb.type, s_.pick_token[i], d, s_.emb.data() + i * d);
        }
        std::copy_n(s_.next_score.data(), kept, s_.score.data());
        s_.drafts.swap(s_.next_drafts);
        live = kept;
    }
    // beams <= vocab (checked), so after the first step every beam is live.
    for (int32_t i = 0; i < beams; ++i) {
        std::copy_n(s_.drafts.data() + int64_t(i) * kMaxDraftLength, length, out_tokens + int64_t(i) * length);
        if (out_scores) out_scores[i] = s_.score[i];
    }
}

}  // namespace euclid
