// A Llama-family model: validated config, weights in the engine's formats, thread pool.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/Backend.h"
#include "euclid/euclid.h"
#include "kernels/cpu/Matrix.h"
#include "runtime/NativeMemory.h"
#include "runtime/ThreadPool.h"

namespace euclid {

class FileImage;

struct LayerWeights {
    const float* attention_norm = nullptr;
    Matrix wq, wk, wv, wo;
    const float* bq = nullptr;
    const float* bk = nullptr;
    const float* bv = nullptr;
    const float* bo = nullptr;
    const float* ffn_norm = nullptr;
    Matrix w1, w2, w3;  // gate, down, up
};

// One stored tensor: a matrix in the model's weight type, or an FP32 vector
// (norms, biases; rows == 1). Data lives in `owned` (counted in native_bytes_in_use)
// or in an engine file's image (io/FileImage.h).
struct StoredTensor {
    int32_t type = WEIGHTS_F32;
    int64_t rows = 0, cols = 0;
    const uint8_t* data = nullptr;
    const float* scales = nullptr;
    TrackedBuffer<uint8_t> owned;

    int64_t data_bytes() const { return rows * weight_row_bytes(type, cols); }
    int64_t scale_bytes() const { return weight_scale_count(type, rows) * 4; }
    Matrix matrix() const { return Matrix{type, data, scales, rows, cols, nullptr}; }
};

class Model {
public:
    Model(const ModelConfig& config, int threads, int32_t weight_type);
    ~Model();

    const ModelConfig& config() const { return config_; }
    int32_t weight_type() const { return weight_type_; }
    // How the matrix products take their input (an ActivationType; euclid.h). INT8 on a CPU with
    // AVX-512 VNNI also gives every INT8, FP8, Q4_0, Q4_1, NVFP4 and MXFP4 matrix (not the embedding
    // table) a copy in the 16-row VNNI layout (kernels/cpu/Vnni16.h), once: about as many bytes again.
    int32_t activations() const { return activations_; }
    void set_activations(int32_t activations);
    // Bytes set_activations(ACTIVATIONS_INT8) would allocate for those copies now (0 once made, or
    // where the CPU lacks VNNI).
    int64_t int8_copy_bytes() const;
    ThreadPool& pool() const { return *pool_; }
    // Where the forward pass runs: the CPU until set_backend; set once the model is finished,
    // before any KV cache or workspace of it is created (they take their storage from it).
    const Backend& backend() const { return *backend_; }
    void set_backend(std::unique_ptr<Backend> backend) { backend_ = std::move(backend); }
    bool finished() const { return finished_; }

    // Reads a tensor from a checkpoint file and converts it to the model's formats.
    void load_tensor(const std::string& name, const std::string& path, int32_t dtype, int64_t offset,
                     int64_t nbytes, const std::vector<int64_t>& shape);
    // Adopts a tensor that already is in the model's format (from an engine file's image).
    void adopt_tensor(const std::string& name, StoredTensor tensor);
    void finish();

    // Keeps an engine file's image (its tensors point into it) for as long as the model lives.
    void keep_file(std::unique_ptr<FileImage> file);

    int64_t q_dim() const { return int64_t(config_.n_heads) * config_.head_dim; }
    // RoPE's head_dim / 2 inverse frequencies for every position that doesn't rescale its own (model/Rope.h).
    const float* rope_inv_freq() const { return rope_inv_freq_.data(); }
    int64_t kv_dim() const { return int64_t(config_.n_kv_heads) * config_.head_dim; }

    // Tensors in canonical load order (the order of required_tensors()).
    std::vector<std::pair<std::string, const StoredTensor*>> tensors() const;

    // The shape `name` must have under this config; throws for a name the model doesn't use.
    std::vector<int64_t> expected_shape(const std::string& name) const;
    std::vector<std::string> required_tensors() const;
    // The type matrix `name` is stored in: the model's weight type, except that with 4-bit weights
    // (NVFP4, MXFP4) the embedding and the LM head stay 8-bit: on a narrow model they are a large
    // share of the weights and the first and last thing every token passes through. INT8, not FP8:
    // per-row INT8 keeps more of a weight row than FP8's 3-bit significands, and its kernels (with
    // FP32 or INT8 activations) take weights in faster. Engine files that recorded FP8 there still
    // open (accepts_stored_type).
    int32_t matrix_type(const std::string& name) const;
    // Whether an engine file may store matrix `name` as `type`: matrix_type, or for 4-bit engines
    // either 8-bit type in the embedding and the head, or a Q4 engine's mix (matrix_storage_type).
    bool accepts_stored_type(const std::string& name, int32_t type) const;

    Matrix tok_embeddings, output;
    const float* norm = nullptr;
    std::vector<LayerWeights> layers;

private:
    ModelConfig config_;
    int32_t weight_type_;
    int32_t activations_ = ACTIVATIONS_FP32;
    std::vector<TrackedBuffer<uint8_t>> vnni16_;  // the matrices' VNNI copies
    // fn(matrix) for each matrix set_activations(ACTIVATIONS_INT8) gives a VNNI copy (none once made).
    template <typename Self, typename Fn>
    static void for_each_vnni16_matrix(Self& self, Fn fn);
    std::vector<float> rope_inv_freq_;
    std::unique_ptr<ThreadPool> pool_;
    std::map<std::string, StoredTensor> tensors_;
    std::unique_ptr<FileImage> file_;
    std::unique_ptr<Backend> backend_;
    bool finished_ = false;
};

// The WeightType a matrix with `cols` columns from a source `dtype` is stored in
// when the engine's precision is `engine`: the engine's, except that 4-bit
// engines keep what a GGUF file quantised (Q4_0 and Q4_1 as they are, Q4_K as
// Q4_1; 5- to 8-bit types, and Q2_K, Q3_K, IQ4_NL and IQ4_XS, whose levels no
// Q4 block holds, as INT8 rather than below the file's precision) and
// store rows that are not whole 32-weight blocks as INT8 (llama.cpp falls back too).
int32_t matrix_storage_type(int32_t engine, int32_t dtype, int64_t cols);

// Throws std::invalid_argument naming the first field that is out of range.
void validate_config(const ModelConfig& config);

}  // namespace euclid
