#include "model/Model.h"

#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "io/TensorFile.h"

namespace euclid {

namespace {

// Upper bounds far above any real model but low enough that every product
// of them fits comfortably in int64 (2^16 * 2^22 = 2^38 elements).
constexpr int64_t kMaxDim = 1 << 16;
constexpr int64_t kMaxHidden = 1 << 18;
constexpr int64_t kMaxLayers = 1 << 10;
constexpr int64_t kMaxHeads = 1 << 10;
constexpr int64_t kMaxVocab = 1 << 22;
constexpr int64_t kMaxSeq = 1 << 22;
constexpr int64_t kMaxParams = int64_t(1) << 36;

void check_range(const char* field, int64_t value, int64_t max) {
    if (value < 1 || value > max) {
        throw std::invalid_argument(std::string("model config: ") + field + " = " + std::to_string(value) +
                                    " is outside [1, " + std::to_string(max) + "]");
    }
}

std::vector<std::string> split_layer_name(const std::string& name, int64_t* layer) {
    // "layers.N.suffix" -> {suffix}, layer = N; anything else -> {} and layer = -1.
    *layer = -1;
    const std::string prefix = "layers.";
    if (name.compare(0, prefix.size(), prefix) != 0) return {};
    const size_t dot = name.find('.', prefix.size());
    if (dot == std::string::npos || dot == prefix.size() || dot - prefix.size() > 6) return {};
    int64_t n = 0;
    for (size_t i = prefix.size(); i < dot; ++i) {
        if (name[i] < '0' || name[i] > '9') return {};
        n = n * 10 + (name[i] - '0');
    }
    *layer = n;
    return {name.substr(dot + 1)};
}

std::string shape_string(const std::vector<int64_t>& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

}  // namespace

void validate_config(const ModelConfig& c) {
    check_range("dim", c.dim, kMaxDim);
    check_range("hidden_dim", c.hidden_dim, kMaxHidden);
    check_range("n_layers", c.n_layers, kMaxLayers);
    check_range("n_heads", c.n_heads, kMaxHeads);
    check_range("n_kv_heads", c.n_kv_heads, kMaxHeads);
    check_range("head_dim", c.head_dim, kMaxDim);
    check_range("vocab_size", c.vocab_size, kMaxVocab);
    check_range("max_seq_len", c.max_seq_len, kMaxSeq);
    if (c.n_heads % c.n_kv_heads != 0) {
        throw std::invalid_argument("model config: n_heads (" + std::to_string(c.n_heads) +
                                    ") is not a multiple of n_kv_heads (" + std::to_string(c.n_kv_heads) + ")");
    }
    if (c.head_dim % 2 != 0) throw std::invalid_argument("model config: head_dim must be even for RoPE");
    if (int64_t(c.n_heads) * c.head_dim > kMaxDim) {
        throw std::invalid_argument("model config: n_heads * head_dim exceeds " + std::to_string(kMaxDim));
    }
    if (!(c.rms_eps > 0.0f) || !std::isfinite(c.rms_eps)) throw std::invalid_argument("model config: rms_eps must be > 0");
    if (!(c.rope_theta > 0.0f) || !std::isfinite(c.rope_theta)) {
        throw std::invalid_argument("model config: rope_theta must be > 0");
    }
    if (c.rope_layout != ROPE_INTERLEAVED && c.rope_layout != ROPE_HALF) {
        throw std::invalid_argument("model config: unknown rope_layout " + std::to_string(c.rope_layout));
    }
    const int64_t q = int64_t(c.n_heads) * c.head_dim, kv = int64_t(c.n_kv_heads) * c.head_dim;
    const int64_t per_layer = q * c.dim * 2 + kv * c.dim * 2 + int64_t(c.hidden_dim) * c.dim * 3;
    const int64_t params = per_layer * c.n_layers + int64_t(c.vocab_size) * c.dim * 2;
    if (params > kMaxParams) {
        throw std::invalid_argument("model config: " + std::to_string(params) + " parameters exceed the limit of " +
                                    std::to_string(kMaxParams));
    }
}

Model::Model(const ModelConfig& config, int threads) : config_(config) {
    validate_config(config);
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    pool_ = std::make_unique<ThreadPool>(threads);
    layers.resize(config.n_layers);
}

std::vector<int64_t> Model::expected_shape(const std::string& name) const {
    const int64_t dim = config_.dim, hidden = config_.hidden_dim, vocab = config_.vocab_size;
    if (name == "tok_embeddings") return {vocab, dim};
    if (name == "norm") return {dim};
    if (name == "output" && !config_.tied_embeddings) return {vocab, dim};
    int64_t layer;
    const auto suffix = split_layer_name(name, &layer);
    if (!suffix.empty() && layer < config_.n_layers) {
        const std::string& s = suffix[0];
        if (s == "attention_norm" || s == "ffn_norm") return {dim};
        if (s == "wq") return {q_dim(), dim};
        if (s == "wk" || s == "wv") return {kv_dim(), dim};
        if (s == "wo") return {dim, q_dim()};
        if (s == "w1" || s == "w3") return {hidden, dim};
        if (s == "w2") return {dim, hidden};
        if (config_.qkv_bias) {
            if (s == "bq") return {q_dim()};
            if (s == "bk" || s == "bv") return {kv_dim()};
        }
    }
    throw std::invalid_argument("tensor '" + name + "' is not part of this model");
}

std::vector<std::string> Model::required_tensors() const {
    std::vector<std::string> names = {"tok_embeddings", "norm"};
    if (!config_.tied_embeddings) names.push_back("output");
    std::vector<std::string> per_layer = {"attention_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w1", "w2", "w3"};
    if (config_.qkv_bias) per_layer.insert(per_layer.end(), {"bq", "bk", "bv"});
    for (int l = 0; l < config_.n_layers; ++l) {
        for (const auto& s : per_layer) names.push_back("layers." + std::to_string(l) + "." + s);
    }
    return names;
}

void Model::load_tensor(const std::string& name, const std::string& path, int32_t dtype, int64_t offset,
                        int64_t nbytes, const std::vector<int64_t>& shape) {
    if (finished_) throw std::logic_error("model is finished; tensors can no longer be loaded");
    const std::vector<int64_t> expected = expected_shape(name);
    if (shape != expected) {
        throw std::invalid_argument("tensor '" + name + "' has shape " + shape_string(shape) + " but the config needs " +
                                    shape_string(expected));
    }
    if (tensors_.count(name)) throw std::invalid_argument("tensor '" + name + "' is given twice");
    int64_t count = 1;
    for (int64_t d : expected) count *= d;  // bounded by validate_config
    // The file range is checked before the buffer exists, so a lying header
    // can never make us allocate more than the file could hold.
    if (offset < 0 || nbytes != source_bytes(dtype, count)) {
        throw std::invalid_argument("tensor '" + name + "': " + std::to_string(nbytes) + " bytes at offset " +
                                    std::to_string(offset) + " do not hold shape " + shape_string(shape));
    }
    FloatBuffer buf;
    const size_t bytes = ((static_cast<size_t>(count) * sizeof(float)) + 63) / 64 * 64;
    buf.data.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
    if (!buf.data) throw std::runtime_error("out of memory loading tensor '" + name + "'");
    buf.count = count;
    read_tensor(path, dtype, offset, nbytes, count, buf.data.get());
    tensors_.emplace(name, std::move(buf));
}

void Model::finish() {
    for (const auto& name : required_tensors()) {
        if (!tensors_.count(name)) throw std::invalid_argument("missing tensor '" + name + "'");
    }
    auto get = [&](const std::string& n) -> const float* {
        auto it = tensors_.find(n);
        return it == tensors_.end() ? nullptr : it->second.data.get();
    };
    tok_embeddings = get("tok_embeddings");
    norm = get("norm");
    output = config_.tied_embeddings ? tok_embeddings : get("output");
    for (int l = 0; l < config_.n_layers; ++l) {
        const std::string p = "layers." + std::to_string(l) + ".";
        LayerWeights& w = layers[l];
        w.attention_norm = get(p + "attention_norm");
        w.wq = get(p + "wq");
        w.wk = get(p + "wk");
        w.wv = get(p + "wv");
        w.wo = get(p + "wo");
        w.bq = get(p + "bq");
        w.bk = get(p + "bk");
        w.bv = get(p + "bv");
        w.ffn_norm = get(p + "ffn_norm");
        w.w1 = get(p + "w1");
        w.w2 = get(p + "w2");
        w.w3 = get(p + "w3");
    }
    finished_ = true;
}

}  // namespace euclid
