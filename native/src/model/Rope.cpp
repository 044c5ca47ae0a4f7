#include "model/Rope.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace euclid {

namespace {

constexpr double kPi = 3.14159265358979323846;

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument("model config: " + what); }

void require_finite(const char* field, float v, float min, bool inclusive) {
    if (!std::isfinite(v) || v < min || (!inclusive && v == min)) {
        bad(std::string(field) + " = " + std::to_string(v) + " must be a finite number " + (inclusive ? ">= " : "> ") +
            std::to_string(min));
    }
}

// transformers divides a Python number by a tensor as reciprocal(tensor) * number;
// the same here keeps every float32 rounding of theirs.
float scalar_over(double number, float x) { return (1.0f / x) * static_cast<float>(number); }

// Llama 3.1: wavelengths longer than original / low_freq_factor are divided by
// the factor, shorter than original / high_freq_factor kept, and those between
// move smoothly from one to the other.
void llama3(const ModelConfig& c, float* f, int64_t half) {
    const double original = c.rope_original_max_positions;
    const float low_wavelen = static_cast<float>(original / c.rope_low_freq_factor);
    const float high_wavelen = static_cast<float>(original / c.rope_high_freq_factor);
    const float span = static_cast<float>(double(c.rope_high_freq_factor) - double(c.rope_low_freq_factor));
    for (int64_t j = 0; j < half; ++j) {
        const float wavelen = scalar_over(2.0 * kPi, f[j]);
        float scaled = wavelen > low_wavelen ? f[j] / c.rope_factor : f[j];
        if (!(wavelen < high_wavelen) && !(wavelen > low_wavelen)) {
            const float smooth = (scalar_over(original, wavelen) - c.rope_low_freq_factor) / span;
            scaled = (1.0f - smooth) * scaled / c.rope_factor + smooth * scaled;
        }
        f[j] = scaled;
    }
}

// Pair index whose frequency turns `rotations` times over the original length
// (YaRN's find_correction_dim), in double as transformers computes it.
double correction_dim(double rotations, int64_t d, double theta, double original) {
    return (double(d) * std::log(original / (rotations * 2.0 * kPi))) / (2.0 * std::log(theta));
}

// YaRN: pairs that turn more than beta_fast times over the original length keep
// their frequency (extrapolation), those under beta_slow are divided by the
// factor (interpolation), and a linear ramp blends the ones between.
void yarn(const ModelConfig& c, float* f, int64_t half) {
    const int64_t d = c.head_dim;
    const double theta = c.rope_theta, original = c.rope_original_max_positions;
    double low = correction_dim(c.rope_beta_fast, d, theta, original);
    double high = correction_dim(c.rope_beta_slow, d, theta, original);
    if (c.rope_truncate) {
        low = std::floor(low);
        high = std::ceil(high);
    }
    low = std::max(low, 0.0);
    high = std::min(high, double(d - 1));
    if (low == high) high += 0.001;  // as transformers: no division by zero
    const float ramp_low = static_cast<float>(low), ramp_span = static_cast<float>(high - low);
    for (int64_t j = 0; j < half; ++j) {
        const float ramp = std::clamp((static_cast<float>(j) - ramp_low) / ramp_span, 0.0f, 1.0f);
        const float keep = 1.0f - ramp;  // the share of the unscaled (extrapolated) frequency
        const float power = std::pow(c.rope_theta, static_cast<float>(2 * j) / static_cast<float>(d));
        const float interpolated = 1.0f / (c.rope_factor * power);
        f[j] = interpolated * (1.0f - keep) + f[j] * keep;
    }
}

}  // namespace

void validate_rope_scaling(const ModelConfig& c) {
    if (c.rope_scaling < ROPE_SCALING_NONE || c.rope_scaling > ROPE_SCALING_YARN) {
        bad("unknown rope_scaling " + std::to_string(c.rope_scaling));
    }
    require_finite("rope_attention_factor", c.rope_attention_factor, 0.0f, false);
    if (c.rope_scaling == ROPE_SCALING_NONE) return;
    require_finite("rope_factor", c.rope_factor, 1.0f, true);
    if (c.rope_scaling == ROPE_SCALING_LINEAR) return;
    if (c.rope_original_max_positions < 1) {
        bad("rope_original_max_positions = " + std::to_string(c.rope_original_max_positions) + " must be >= 1");
    }
    if (c.rope_scaling == ROPE_SCALING_DYNAMIC && c.head_dim < 4) bad("dynamic RoPE scaling needs head_dim >= 4");
    if (c.rope_scaling == ROPE_SCALING_LLAMA3) {
        require_finite("rope_low_freq_factor", c.rope_low_freq_factor, 0.0f, false);
        require_finite("rope_high_freq_factor", c.rope_high_freq_factor, c.rope_low_freq_factor, false);
    }
    if (c.rope_scaling == ROPE_SCALING_YARN) {
        require_finite("rope_beta_fast", c.rope_beta_fast, 0.0f, false);
        require_finite("rope_beta_slow", c.rope_beta_slow, 0.0f, false);
    }
}

void rope_inv_freq(const ModelConfig& c, int64_t seq_len, float* out) {
    const int64_t d = c.head_dim, half = d / 2;
    float theta = c.rope_theta;
    if (c.rope_scaling == ROPE_SCALING_DYNAMIC && seq_len > c.rope_original_max_positions) {
        // NTK-aware: theta * (factor * seq_len / original - (factor - 1)) ^ (d / (d - 2)).
        const float grown = c.rope_factor * static_cast<float>(seq_len) /
                                static_cast<float>(c.rope_original_max_positions) -
                            (c.rope_factor - 1.0f);
        theta = theta * std::pow(grown, static_cast<float>(double(d) / double(d - 2)));
    }
    for (int64_t j = 0; j < half; ++j) {
        // theta^(-2j/d) in float, the expression of llama2.c and transformers.
        out[j] = 1.0f / std::pow(theta, static_cast<float>(2 * j) / static_cast<float>(d));
    }
    switch (c.rope_scaling) {
        case ROPE_SCALING_LINEAR:
            for (int64_t j = 0; j < half; ++j) out[j] /= c.rope_factor;
            break;
        case ROPE_SCALING_LLAMA3: llama3(c, out, half); break;
        case ROPE_SCALING_YARN: yarn(c, out, half); break;
        default: break;
    }
}

}  // namespace euclid
