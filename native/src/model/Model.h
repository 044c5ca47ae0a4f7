// A Llama-family model: validated config, converted weights, thread pool.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "euclid/euclid.h"
#include "runtime/ThreadPool.h"

namespace euclid {

// 64-byte aligned float storage owned by the model.
struct FloatBuffer {
    std::unique_ptr<float, void (*)(void*)> data{nullptr, std::free};
    int64_t count = 0;
};

struct LayerWeights {
    const float* attention_norm = nullptr;
    const float* wq = nullptr;
    const float* wk = nullptr;
    const float* wv = nullptr;
    const float* wo = nullptr;
    const float* bq = nullptr;
    const float* bk = nullptr;
    const float* bv = nullptr;
    const float* ffn_norm = nullptr;
    const float* w1 = nullptr;  // gate
    const float* w2 = nullptr;  // down
    const float* w3 = nullptr;  // up
};

class Model {
public:
    Model(const ModelConfig& config, int threads);

    const ModelConfig& config() const { return config_; }
    ThreadPool& pool() const { return *pool_; }
    bool finished() const { return finished_; }

    void load_tensor(const std::string& name, const std::string& path, int32_t dtype, int64_t offset,
                     int64_t nbytes, const std::vector<int64_t>& shape);
    void finish();

    int64_t q_dim() const { return int64_t(config_.n_heads) * config_.head_dim; }
    int64_t kv_dim() const { return int64_t(config_.n_kv_heads) * config_.head_dim; }

    const float* tok_embeddings = nullptr;
    const float* norm = nullptr;
    const float* output = nullptr;
    std::vector<LayerWeights> layers;

private:
    // The shape `name` must have under this config; throws for a name the model doesn't use.
    std::vector<int64_t> expected_shape(const std::string& name) const;
    std::vector<std::string> required_tensors() const;

    ModelConfig config_;
    std::unique_ptr<ThreadPool> pool_;
    std::map<std::string, FloatBuffer> tensors_;
    bool finished_ = false;
};

// Throws std::invalid_argument naming the first field that is out of range.
void validate_config(const ModelConfig& config);

}  // namespace euclid
