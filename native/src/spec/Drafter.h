// The recurrent drafter of ReDrafter (Cheng et al., "Recurrent Drafter for Fast
// Speculative Decoding", arXiv 2403.09919): a small RNN over the base model's
// token embeddings, started from the base model's last hidden state, whose
// output runs through a residual MLP and its own LM head. Beam search over it
// proposes several drafts that the base model then verifies.
#pragma once

#include <cstdint>
#include <vector>

#include "euclid/euclid.h"
#include "kernels/cpu/Matrix.h"

namespace euclid {

// Limits of a proposal (checked by runtime/Boundary.h).
constexpr int32_t kMaxDraftBeams = 64;
constexpr int32_t kMaxDraftLength = 32;
constexpr int32_t kMaxDrafterMlpLayers = 16;

class Drafter {
public:
    // Copies the weights (layout in euclid.h); the sizes are checked by the caller.
    Drafter(const DrafterConfig& config, const float* weights);

    // Floats of the flat weight array for this config (fits int64: the caller bounds the dims).
    static int64_t weight_count(const DrafterConfig& config);

    const DrafterConfig& config() const { return config_; }

    // Beam search from the base model's final-normed hidden state h (dim floats)
    // and the token the base model sampled from it: writes beams * length tokens
    // to out_tokens, best beam first, and the beams' summed log-probabilities to
    // out_scores (may be null). Inputs are assumed validated (see runtime/Boundary.h).
    // Uses the drafter's scratch, so one caller at a time (the engine thread).
    void propose(const Model& model, const float* h, int32_t token, int32_t beams, int32_t length,
                 int32_t* out_tokens, float* out_scores) const;

private:
    // Buffers for `beams` live beams, sized on first use of that many and reused
    // after, so a steady decode loop allocates nothing.
    struct Scratch {
        int32_t beams = 0;
        std::vector<float> emb, state, next_state, z, m, tmp, logits, score, next_score;
        std::vector<int32_t> drafts, next_drafts, pick_beam, pick_token;
    };

    void reserve(int32_t beams) const;
    // One drafter step for n beams: state (n x dim) advances over the token
    // embeddings emb (n x dim) into s.next_state, and the log-probabilities of
    // the next token land in s.logits (n x vocab).
    void step(const Model& model, const float* h, int32_t n) const;
    // Keeps the `beams` best continuations of n beams, best first, in s.pick_*.
    int32_t select(int32_t n, int32_t beams) const;

    DrafterConfig config_;
    std::vector<float> weights_;
    Matrix w_, u_, a_, head_;          // recurrence (token, state), MLP input, LM head
    const float* b_ = nullptr;         // recurrence bias
    const float* a_bias_ = nullptr;    // MLP input bias
    std::vector<Matrix> res_;          // residual MLP blocks
    std::vector<const float*> res_bias_;
    mutable Scratch s_;
};

}  // namespace euclid
