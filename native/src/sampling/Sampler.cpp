#include "sampling/Sampler.h"

#include <algorithm>
#include <cmath>

namespace euclid {

namespace {

uint64_t splitmix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

int32_t argmax(const float* x, int32_t n) {
    int32_t best = 0;  // ties go to the lowest id
    for (int32_t i = 1; i < n; ++i) {
        if (x[i] > x[best]) best = i;
    }
    return best;
}

// The softmax's log normalizer, kept as (max, log of the shifted sum) so that
// every log-probability of one row is rounded the same way.
struct LogSoftmax {
    float max;
    double log_sum;

    LogSoftmax(const float* logits, int32_t vocab) : max(logits[argmax(logits, vocab)]) {
        double sum = 0.0;
        for (int32_t i = 0; i < vocab; ++i) sum += std::exp(static_cast<double>(logits[i] - max));
        log_sum = std::log(sum);
    }

    float at(float logit) const { return static_cast<float>(logit - max - log_sum); }
};

// The n highest logits' ids, highest first, ties to the lower id: one pass with
// a sorted list of n (n is at most MAX_TOP_LOGPROBS, far below the vocabulary).
void top_ids(const float* logits, int32_t vocab, int32_t n, int32_t* ids) {
    int32_t held = 0;
    for (int32_t i = 0; i < vocab; ++i) {
        if (held == n && !(logits[i] > logits[ids[n - 1]])) continue;
        int32_t at = held < n ? held++ : n - 1;  // a full list drops its last
        while (at > 0 && logits[i] > logits[ids[at - 1]]) {
            ids[at] = ids[at - 1];
            --at;
        }
        ids[at] = i;
    }
}


}  // namespace

void report_logprobs(const float* logits, int32_t vocab, int32_t token, const LogprobOutput& out) {
    if (!out.chosen && out.top_n <= 0) return;
    const LogSoftmax norm(logits, vocab);
    if (out.chosen) *out.chosen = norm.at(logits[token]);
    const int32_t n = out.top_n;  // <= vocab (checked by the caller)
    if (n <= 0) return;
    top_ids(logits, vocab, n, out.top_tokens);
    for (int32_t j = 0; j < n; ++j) out.top_logprobs[j] = norm.at(logits[out.top_tokens[j]]);
}

SamplingParams sampling_of(const StepDescriptor& step, int32_t s) {
    SamplingParams p;
    p.temperature = step.temperatures[s];
    p.top_k = step.top_ks[s];
    p.top_p = step.top_ps[s];
    p.min_p = step.min_ps[s];
    p.seed = static_cast<uint64_t>(step.seeds[s]);
    p.repetition_penalty = step.penalties[3 * s];
    p.presence_penalty = step.penalties[3 * s + 1];
    p.frequency_penalty = step.penalties[3 * s + 2];
    if (step.history_lengths[s] > 0) {
        p.history = step.history + step.history_offsets[s];
        p.history_len = step.history_lengths[s];
    }
    return p;
}

double uniform(uint64_t seed, int64_t draw) {
    const uint64_t bits = splitmix64(splitmix64(seed) ^ static_cast<uint64_t>(draw));
    return static_cast<double>(bits >> 11) * (1.0 / 9007199254740992.0);
}

namespace {

bool has_penalties(const SamplingParams& p) {
    return p.history_len > 0 && (p.repetition_penalty != 1.0f || p.presence_penalty != 0.0f || p.frequency_penalty != 0.0f);
}

// Logits with repetition / presence / frequency penalties applied to the tokens in p.history.
const float* penalize(const float* logits, int32_t vocab, const SamplingParams& p, const SampleScratch& w) {
    std::copy(logits, logits + vocab, w.penalized);
    for (int32_t i = 0; i < p.history_len; ++i) w.counts[p.history[i]]++;
    for (int32_t i = 0; i < p.history_len; ++i) {
        const int32_t t = p.history[i];
        if (w.counts[t] == 0) continue;  // already applied for this token
        float v = logits[t];
        v = v > 0.0f ? v / p.repetition_penalty : v * p.repetition_penalty;
        w.penalized[t] = v - p.presence_penalty - p.frequency_penalty * static_cast<float>(w.counts[t]);
        w.counts[t] = 0;
    }
    return w.penalized;
}

}  // namespace

int32_t sample(const float* raw_logits, int32_t vocab, const SamplingParams& p, int64_t draw, const SampleScratch& w,
               const LogprobOutput& out) {
    const float* logits = has_penalties(p) ? penalize(raw_logits, vocab, p, w) : raw_logits;
    float* probs = w.probs;
    int32_t* candidates = w.candidates;
    int32_t token;
    if (!(p.temperature > 0.0f)) {
        token = argmax(logits, vocab);
    } else {
        // Softmax at the given temperature.
        const float max = logits[argmax(logits, vocab)];
        const float inv_t = 1.0f / p.temperature;
        for (int32_t i = 0; i < vocab; ++i) probs[i] = std::exp((logits[i] - max) * inv_t);
        for (int32_t i = 0; i < vocab; ++i) candidates[i] = i;
        // A strict total order (probability, then id) keeps every selection deterministic.
        auto before = [probs](int32_t a, int32_t b) { return probs[a] > probs[b] || (probs[a] == probs[b] && a < b); };
        int32_t kept = vocab;
        if (p.min_p > 0.0f) {  // relative to the top probability (which is exp(0) = 1 here)
            int32_t n = 0;
            for (int32_t i = 0; i < vocab; ++i) {
                if (probs[i] >= p.min_p) candidates[n++] = i;
            }
            kept = n;  // the top token always survives: min_p <= 1
        }
        if (p.top_k > 0 && p.top_k < kept) {
            std::nth_element(candidates, candidates + p.top_k, candidates + kept, before);
            kept = p.top_k;
        }
        if (p.top_p < 1.0f) {
            double mass = 0.0;
            for (int32_t i = 0; i < kept; ++i) mass += probs[candidates[i]];
            // Sort a growing prefix until it covers top_p of the mass: the nucleus
            // is usually a few dozen tokens, so sorting all 32k would be waste.
            int32_t sorted = std::min(kept, 64);
            for (;;) {
                std::nth_element(candidates, candidates + sorted, candidates + kept, before);
                std::sort(candidates, candidates + sorted, before);
                double cum = 0.0;
                int32_t cut = 0;
                while (cut < sorted && cum < p.top_p * mass) cum += probs[candidates[cut++]];
                if (cum >= p.top_p * mass || sorted == kept) {
                    kept = std::max(cut, 1);
                    break;
                }
                sorted = static_cast<int32_t>(std::min<int64_t>(kept, int64_t(sorted) * 4));
            }
        }
        double total = 0.0;
        for (int32_t i = 0; i < kept; ++i) total += probs[candidates[i]];
        const double target = uniform(p.seed, draw) * total;
        double cum = 0.0;
        token = candidates[kept - 1];
        for (int32_t i = 0; i < kept; ++i) {
            cum += probs[candidates[i]];
            if (target < cum) {
                token = candidates[i];
                break;
            }
        }
    }
    report_logprobs(raw_logits, vocab, token, out);
    return token;
}

}  // namespace euclid
