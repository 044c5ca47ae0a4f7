// libFuzzer target: raw tensor ranges that the Java readers described
// (io/TensorFile.cpp) and their conversion into the engine's weight formats
// (Model::load_tensor, quant/Quantize.cpp).
//
// Input: a 16-byte control header, then the bytes of the "checkpoint" file.
//   [0]      bit 0: 0 = read_tensor directly, 1 = through model_load_tensor
//   [1]      source dtype (int8: unknown codes included)
//   [2]      weight precision of the model (int8: unknown codes included)
//   [3]      bits 0-4: tensor name (see kNames), bit 5: qkv_bias, bit 6: tied
//            embeddings, bit 7: give a wrong shape
//   [4, 8)   int32 offset into the file (negative values included)
//   [8, 10)  uint16 element count (direct path)
//   [10]     int8 added to the byte length the dtype needs (mismatches)
//   [11, 16) unused
// Every input must end in a std::exception or a loaded tensor, and the native
// byte counter must return to where it started once the model is freed.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "FuzzFile.h"
#include "euclid/euclid.h"
#include "io/TensorFile.h"
#include "model/Model.h"

namespace {

constexpr size_t kControlBytes = 16;

const char* const kNames[] = {
    "tok_embeddings", "norm", "output", "layers.0.attention_norm", "layers.0.wq", "layers.0.wk",
    "layers.0.wv", "layers.0.wo", "layers.0.bq", "layers.0.bk", "layers.0.bv", "layers.0.ffn_norm",
    "layers.0.w1", "layers.0.w2", "layers.0.w3", "layers.1.wq", "layers.00.wq", "layers..wq",
    "layers.99999999.w1", "layers.0.", "output.weight", "", "norm\x01",
};
constexpr int kNameCount = sizeof(kNames) / sizeof(kNames[0]);

template <typename T>
T read_le(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

void direct(const uint8_t* control, const std::string& path) {
    const int32_t dtype = static_cast<int8_t>(control[1]);
    const int64_t offset = read_le<int32_t>(control + 4);
    const int64_t count = read_le<uint16_t>(control + 8);
    const int64_t delta = static_cast<int8_t>(control[10]);
    int64_t nbytes = count * 4 + delta;
    try {
        nbytes = euclid::source_bytes(dtype, count) + delta;
    } catch (const std::exception&) {
    }
    std::vector<float> dst(static_cast<size_t>(count));
    euclid::read_tensor(path, dtype, offset, nbytes, count, dst.data());
}

void through_model(const uint8_t* control, const std::string& path) {
    euclid::ModelConfig c;
    c.dim = 32;
    c.hidden_dim = 48;
    c.n_layers = 1;
    c.n_heads = 2;
    c.n_kv_heads = 1;
    c.head_dim = 16;
    c.vocab_size = 40;
    c.max_seq_len = 16;
    c.qkv_bias = (control[3] >> 5) & 1;
    c.tied_embeddings = (control[3] >> 6) & 1;
    const int32_t weights = static_cast<int8_t>(control[2]);
    const int32_t dtype = static_cast<int8_t>(control[1]);
    const char* name = kNames[(control[3] & 0x1F) % kNameCount];

    euclid::Model* model = euclid::model_create(c, 1, weights);
    try {
        std::vector<int64_t> shape = {32, 32};
        try {
            shape = model->expected_shape(name);
        } catch (const std::exception&) {
        }
        if (control[3] & 0x80) shape.back() += 1;
        int64_t count = 1;
        for (int64_t d : shape) count *= d;
        int64_t nbytes = count * 4;
        try {
            nbytes = euclid::source_bytes(dtype, count);
        } catch (const std::exception&) {
        }
        nbytes += static_cast<int8_t>(control[10]);
        euclid::model_load_tensor(model, name, path.c_str(), dtype, read_le<int32_t>(control + 4), nbytes,
                                  shape.data(), static_cast<int32_t>(shape.size()));
    } catch (...) {
        euclid::model_free(model);
        throw;
    }
    euclid::model_free(model);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < kControlBytes) return 0;
    euclid_fuzz::FuzzFile file(data + kControlBytes, size - kControlBytes);
    const int64_t before = euclid::native_bytes_in_use();
    try {
        if (data[0] & 1) {
            through_model(data, file.path());
        } else {
            direct(data, file.path());
        }
    } catch (const std::exception&) {
    }
    if (euclid::native_bytes_in_use() != before) {
        std::fprintf(stderr, "native_bytes_in_use changed from %lld to %lld: a tensor buffer leaked\n",
                     static_cast<long long>(before), static_cast<long long>(euclid::native_bytes_in_use()));
        std::abort();
    }
    return 0;
}
