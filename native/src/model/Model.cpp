#include "model/Model.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "io/FileImage.h"
#include "io/TensorFile.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/Vnni16.h"
#include "model/Rope.h"
#include "quant/GgufBlocks.h"
#include "quant/Quantize.h"

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

int32_t matrix_storage_type(int32_t engine, int32_t dtype, int64_t cols) {
    if (!weight_type_is_q4(engine)) return engine;
    switch (dtype) {
        case DTYPE_Q4_0: return WEIGHTS_Q4_0;
        case DTYPE_Q4_1:
        case DTYPE_Q4_K: return WEIGHTS_Q4_1;
        case DTYPE_Q5_0:
        case DTYPE_Q5_1:
        case DTYPE_Q5_K:
        case DTYPE_Q6_K:
        case DTYPE_Q8_0:
        case DTYPE_Q2_K:  // below 4 bits, or 4-bit levels Q4 does not hold: INT8 keeps them closest
        case DTYPE_Q3_K:
        case DTYPE_IQ4_NL:
        case DTYPE_IQ4_XS: return WEIGHTS_INT8;
        default: return cols % kQ4BlockValues == 0 ? engine : WEIGHTS_INT8;
    }
}

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
    validate_rope_scaling(c);
    const int64_t q = int64_t(c.n_heads) * c.head_dim, kv = int64_t(c.n_kv_heads) * c.head_dim;
    const int64_t per_layer = q * c.dim * 2 + kv * c.dim * 2 + int64_t(c.hidden_dim) * c.dim * 3;
    const int64_t params = per_layer * c.n_layers + int64_t(c.vocab_size) * c.dim * 2;
    if (params > kMaxParams) {
        throw std::invalid_argument("model config: " + std::to_string(params) + " parameters exceed the limit of " +
                                    std::to_string(kMaxParams));
    }
}

Model::Model(const ModelConfig& config, int threads, int32_t weight_type) : config_(config), weight_type_(weight_type) {
    validate_config(config);
    if (!weight_type_valid(weight_type)) throw std::invalid_argument("unknown weight type " + std::to_string(weight_type));
    if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    pool_ = std::make_unique<ThreadPool>(threads);
    backend_ = cpu_backend();
    layers.resize(config.n_layers);
    rope_inv_freq_.resize(config.head_dim / 2);
    euclid::rope_inv_freq(config, config.rope_original_max_positions, rope_inv_freq_.data());
}

Model::~Model() = default;

void Model::keep_file(std::unique_ptr<FileImage> file) { file_ = std::move(file); }

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
        if (config_.o_bias && s == "bo") return {dim};
    }
    throw std::invalid_argument("tensor '" + name + "' is not part of this model");
}

namespace {

bool fp4_keeps_8_bit(int32_t engine, const std::string& name) {
    return (engine == WEIGHTS_NVFP4 || engine == WEIGHTS_MXFP4) && (name == "tok_embeddings" || name == "output");
}

}  // namespace

int32_t Model::matrix_type(const std::string& name) const {
    return fp4_keeps_8_bit(weight_type_, name) ? WEIGHTS_INT8 : weight_type_;
}

bool Model::accepts_stored_type(const std::string& name, int32_t type) const {
    if (type == matrix_type(name)) return true;
    if (fp4_keeps_8_bit(weight_type_, name)) return type == WEIGHTS_FP8;
    return weight_type_is_q4(weight_type_) && (weight_type_is_q4(type) || type == WEIGHTS_INT8);
}

std::vector<std::string> Model::required_tensors() const {
    std::vector<std::string> names = {"tok_embeddings", "norm"};
    if (!config_.tied_embeddings) names.push_back("output");
    std::vector<std::string> per_layer = {"attention_norm", "wq", "wk", "wv", "wo", "ffn_norm", "w1", "w2", "w3"};
    if (config_.qkv_bias) per_layer.insert(per_layer.end(), {"bq", "bk", "bv"});
    if (config_.o_bias) per_layer.push_back("bo");
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
    const int64_t rows = expected.size() == 2 ? expected[0] : 1;
    const int64_t cols = expected.back();  // products bounded by validate_config
    const int64_t block = gguf_block_shape(dtype).values;
    if (block != 0 && cols % block != 0) {  // blocks must not straddle rows
        throw std::invalid_argument("tensor '" + name + "': rows of " + std::to_string(cols) +
                                    " weights are not whole blocks of " + std::to_string(block));
    }
    // The file range is checked (in read_tensor) before any buffer is sized from it.
    if (offset < 0 || nbytes != source_bytes(dtype, rows * cols)) {
        throw std::invalid_argument("tensor '" + name + "': " + std::to_string(nbytes) + " bytes at offset " +
                                    std::to_string(offset) + " do not hold shape " + shape_string(shape));
    }
    auto aligned = [&](int64_t bytes) {
        try {
            return make_tracked_buffer<uint8_t>(64, static_cast<size_t>(bytes));
        } catch (const std::bad_alloc&) {
            throw std::runtime_error("out of memory loading tensor '" + name + "' (" + std::to_string(bytes) +
                                     " bytes)");
        }
    };
    StoredTensor t;
    t.rows = rows;
    t.cols = cols;
    if (expected.size() == 1) {  // norms and biases stay FP32
        t.owned = aligned(rows * cols * 4);
        read_tensor(path, dtype, offset, nbytes, rows * cols, reinterpret_cast<float*>(t.owned.get()));
    } else {
        t.type = matrix_storage_type(matrix_type(name), dtype, cols);
        const int64_t data_padded = (t.data_bytes() + 63) / 64 * 64;
        t.owned = aligned(data_padded + t.scale_bytes());
        uint8_t* dst = t.owned.get();
        if ((dtype == DTYPE_Q4_0 && t.type == WEIGHTS_Q4_0) || (dtype == DTYPE_Q4_1 && t.type == WEIGHTS_Q4_1)) {
            // ggml's blocks are ours: copied as they are.
            read_blocks(path, dtype, offset, nbytes, rows * cols, [&](const unsigned char* src, int64_t n, int64_t at) {
                std::memcpy(dst + at, src, static_cast<size_t>(n));
            });
        } else if (dtype == DTYPE_Q4_K && t.type == WEIGHTS_Q4_1) {
            const int64_t in_block = sizeof(BlockQ4_K), out_block = 8 * int64_t(sizeof(BlockQ4_1));
            read_blocks(path, dtype, offset, nbytes, rows * cols, [&](const unsigned char* src, int64_t n, int64_t at) {
                q4_k_to_q4_1(src, n / in_block, dst + at / in_block * out_block);
            });
        } else {
            TrackedBuffer<uint8_t> f32 = aligned(rows * cols * 4);
            read_tensor(path, dtype, offset, nbytes, rows * cols, reinterpret_cast<float*>(f32.get()));
            float* scales = t.scale_bytes() ? reinterpret_cast<float*>(dst + data_padded) : nullptr;
            quantize_rows(reinterpret_cast<const float*>(f32.get()), rows, cols, t.type, dst, scales);
            t.scales = scales;
        }
    }
    t.data = t.owned.get();
    tensors_.emplace(name, std::move(t));
}

void Model::adopt_tensor(const std::string& name, StoredTensor tensor) {
    if (finished_) throw std::logic_error("model is finished; tensors can no longer be loaded");
    const std::vector<int64_t> expected = expected_shape(name);
    const int64_t rows = expected.size() == 2 ? expected[0] : 1;
    const bool matrix = expected.size() == 2;
    const int32_t type = matrix ? matrix_type(name) : WEIGHTS_F32;
    const bool accepted = matrix ? accepts_stored_type(name, tensor.type) : tensor.type == WEIGHTS_F32;
    if (tensor.rows != rows || tensor.cols != expected.back() || !accepted ||
        (weight_type_is_q4(tensor.type) && tensor.cols % kQ4BlockValues != 0)) {
        throw std::invalid_argument("tensor '" + name + "' is stored as " + std::to_string(tensor.rows) + " x " +
                                    std::to_string(tensor.cols) + " of type " + std::to_string(tensor.type) +
                                    " but the config needs " + shape_string(expected) + " of type " + std::to_string(type));
    }
    if (tensors_.count(name)) throw std::invalid_argument("tensor '" + name + "' is given twice");
    tensors_.emplace(name, std::move(tensor));
}

std::vector<std::pair<std::string, const StoredTensor*>> Model::tensors() const {
    std::vector<std::pair<std::string, const StoredTensor*>> out;
    for (const auto& name : required_tensors()) out.emplace_back(name, &tensors_.at(name));
    return out;
}

template <typename Self, typename Fn>
void Model::for_each_vnni16_matrix(Self& self, Fn fn) {
    if (!self.finished_ || !self.vnni16_.empty()) return;
    for (auto& w : self.layers) {
        for (auto* m : {&w.wq, &w.wk, &w.wv, &w.wo, &w.w1, &w.w2, &w.w3}) {
            if (kernels::vnni16_copy_wanted(m->type)) fn(*m);
        }
    }
    if (kernels::vnni16_copy_wanted(self.output.type)) fn(self.output);
}

int64_t Model::int8_copy_bytes() const {
    int64_t bytes = 0;
    for_each_vnni16_matrix(*this, [&](const Matrix& m) { bytes += kernels::vnni16_bytes(m.type, m.rows, m.cols); });
    return bytes;
}

void Model::set_activations(int32_t activations) {
    activations_ = activations;
    if (activations != ACTIVATIONS_INT8) return;
    for_each_vnni16_matrix(*this, [&](Matrix& m) {
        TrackedBuffer<uint8_t> copy;
        try {
            copy = make_tracked_buffer<uint8_t>(64, static_cast<size_t>(kernels::vnni16_bytes(m.type, m.rows, m.cols)));
        } catch (const std::bad_alloc&) {
            throw std::runtime_error("out of memory for the int8 activations' VNNI copy of a " + std::to_string(m.rows) +
                                     " x " + std::to_string(m.cols) + " matrix");
        }
        kernels::repack_vnni16(m, copy.get());
        m.vnni16 = copy.get();
        vnni16_.push_back(std::move(copy));
    });
}

void Model::finish() {
    for (const auto& name : required_tensors()) {
        if (!tensors_.count(name)) throw std::invalid_argument("missing tensor '" + name + "'");
    }
    auto vec = [&](const std::string& n) -> const float* {
        auto it = tensors_.find(n);
        return it == tensors_.end() ? nullptr : reinterpret_cast<const float*>(it->second.data);
    };
    auto mat = [&](const std::string& n) { return tensors_.at(n).matrix(); };
    tok_embeddings = mat("tok_embeddings");
    norm = vec("norm");
    output = config_.tied_embeddings ? tok_embeddings : mat("output");
    for (int l = 0; l < config_.n_layers; ++l) {
        const std::string p = "layers." + std::to_string(l) + ".";
        LayerWeights& w = layers[l];
        w.attention_norm = vec(p + "attention_norm");
        w.wq = mat(p + "wq");
        w.wk = mat(p + "wk");
        w.wv = mat(p + "wv");
        w.wo = mat(p + "wo");
        w.bq = vec(p + "bq");
        w.bk = vec(p + "bk");
        w.bv = vec(p + "bv");
        w.bo = vec(p + "bo");
        w.ffn_norm = vec(p + "ffn_norm");
        w.w1 = mat(p + "w1");
        w.w2 = mat(p + "w2");
        w.w3 = mat(p + "w3");
    }
    finished_ = true;
}

}  // namespace euclid
