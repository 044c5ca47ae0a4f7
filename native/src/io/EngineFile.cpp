#include "io/EngineFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "io/Checksum.h"
#include "io/MappedFile.h"
#include "model/Model.h"

namespace euclid {

namespace {

constexpr char kMagic[8] = {'E', 'U', 'C', 'L', 'I', 'D', 'E', 'F'};
constexpr int64_t kHeaderBytes = 192;
constexpr int64_t kEntryBytes = 104;
constexpr int64_t kNameBytes = 64;
constexpr int64_t kMaxMetadataBytes = int64_t(256) << 20;

int64_t align64(int64_t v) { return (v + 63) / 64 * 64; }

template <typename T>
void put(std::vector<uint8_t>& buf, int64_t at, T v) {
    std::memcpy(buf.data() + at, &v, sizeof(T));
}

template <typename T>
T get(const uint8_t* p, int64_t at) {
    T v;
    std::memcpy(&v, p + at, sizeof(T));
    return v;
}

// ModelConfig as little-endian 4-byte fields in declaration order: the first 13
// (up to tied_embeddings) at `at`, the rest (o_bias and RoPE scaling) at `at2`.
void put_config(std::vector<uint8_t>& h, int64_t at, int64_t at2, const ModelConfig& c) {
    const int32_t ints[] = {c.dim, c.hidden_dim, c.n_layers, c.n_heads, c.n_kv_heads, c.head_dim, c.vocab_size,
                            c.max_seq_len};
    for (int i = 0; i < 8; ++i) put(h, at + 4 * i, ints[i]);
    put(h, at + 32, c.rms_eps);
    put(h, at + 36, c.rope_theta);
    put(h, at + 40, c.rope_layout);
    put(h, at + 44, c.qkv_bias);
    put(h, at + 48, c.tied_embeddings);
    put(h, at2, c.o_bias);
    put(h, at2 + 4, c.rope_scaling);
    put(h, at2 + 8, c.rope_factor);
    put(h, at2 + 12, c.rope_original_max_positions);
    put(h, at2 + 16, c.rope_low_freq_factor);
    put(h, at2 + 20, c.rope_high_freq_factor);
    put(h, at2 + 24, c.rope_beta_fast);
    put(h, at2 + 28, c.rope_beta_slow);
    put(h, at2 + 32, c.rope_truncate);
    put(h, at2 + 36, c.rope_attention_factor);
}

ModelConfig get_config(const uint8_t* p, int64_t at, int64_t at2) {
    ModelConfig c;
    c.dim = get<int32_t>(p, at);
    c.hidden_dim = get<int32_t>(p, at + 4);
    c.n_layers = get<int32_t>(p, at + 8);
    c.n_heads = get<int32_t>(p, at + 12);
    c.n_kv_heads = get<int32_t>(p, at + 16);
    c.head_dim = get<int32_t>(p, at + 20);
    c.vocab_size = get<int32_t>(p, at + 24);
    c.max_seq_len = get<int32_t>(p, at + 28);
    c.rms_eps = get<float>(p, at + 32);
    c.rope_theta = get<float>(p, at + 36);
    c.rope_layout = get<int32_t>(p, at + 40);
    c.qkv_bias = get<int32_t>(p, at + 44);
    c.tied_embeddings = get<int32_t>(p, at + 48);
    c.o_bias = get<int32_t>(p, at2);
    c.rope_scaling = get<int32_t>(p, at2 + 4);
    c.rope_factor = get<float>(p, at2 + 8);
    c.rope_original_max_positions = get<int32_t>(p, at2 + 12);
    c.rope_low_freq_factor = get<float>(p, at2 + 16);
    c.rope_high_freq_factor = get<float>(p, at2 + 20);
    c.rope_beta_fast = get<float>(p, at2 + 24);
    c.rope_beta_slow = get<float>(p, at2 + 28);
    c.rope_truncate = get<int32_t>(p, at2 + 32);
    c.rope_attention_factor = get<float>(p, at2 + 36);
    return c;
}

struct Writer {
    std::FILE* f;
    std::string path;
    void write(const void* p, int64_t n) {
        if (n > 0 && std::fwrite(p, 1, static_cast<size_t>(n), f) != static_cast<size_t>(n)) {
            throw std::runtime_error(path + ": write failed");
        }
    }
    void pad_to(int64_t pos) {
        static const uint8_t zeros[64] = {0};
        const long at = std::ftell(f);
        if (at < 0 || at > pos) throw std::runtime_error(path + ": layout error");
        write(zeros, pos - at);
    }
};

[[noreturn]] void bad(const std::string& path, const std::string& what) {
    throw std::runtime_error(path + ": " + what);
}

}  // namespace

void save_engine(const Model& model, const std::string& path, const std::string& metadata_json) {
    if (!model.finished()) throw std::logic_error("only a finished model can be saved");
    const auto tensors = model.tensors();
    // Lay the file out first: every offset is known before a byte is written.
    const int64_t metadata_offset = kHeaderBytes;
    const int64_t directory_offset = align64(metadata_offset + int64_t(metadata_json.size()));
    const int64_t data_offset = align64(directory_offset + int64_t(tensors.size()) * kEntryBytes);
    std::vector<uint8_t> directory(tensors.size() * kEntryBytes, 0);
    int64_t at = data_offset;
    std::vector<std::pair<int64_t, int64_t>> placement;  // data, scales offsets
    for (size_t i = 0; i < tensors.size(); ++i) {
        const auto& [name, t] = tensors[i];
        if (int64_t(name.size()) >= kNameBytes) throw std::logic_error("tensor name too long: " + name);
        const int64_t data_at = at;
        at = align64(at + t->data_bytes());
        const int64_t scales_at = t->scale_bytes() ? at : 0;
        if (scales_at) at = align64(at + t->scale_bytes());
        placement.emplace_back(data_at, scales_at);
        uint8_t* e = directory.data() + i * kEntryBytes;
        std::memcpy(e, name.data(), name.size());
        std::memcpy(e + 64, &t->type, 4);
        std::memcpy(e + 72, &t->rows, 8);
        std::memcpy(e + 80, &t->cols, 8);
        std::memcpy(e + 88, &data_at, 8);
        std::memcpy(e + 96, &scales_at, 8);
    }
    const int64_t file_bytes = at + 8;

    std::vector<uint8_t> header(kHeaderBytes, 0);
    std::memcpy(header.data(), kMagic, 8);
    put<uint32_t>(header, 8, kEngineFormatVersion);
    put<uint32_t>(header, 12, static_cast<uint32_t>(kHeaderBytes));
    put<int64_t>(header, 16, file_bytes);
    put<int64_t>(header, 24, metadata_offset);
    put<int64_t>(header, 32, int64_t(metadata_json.size()));
    put<int64_t>(header, 40, directory_offset);
    put<int64_t>(header, 48, int64_t(tensors.size()));
    put<int64_t>(header, 56, data_offset);
    put_config(header, 64, 128, model.config());
    put<int32_t>(header, 116, model.weight_type());

    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw std::runtime_error(tmp + ": cannot create: " + std::strerror(errno));
    Writer w{f, tmp};
    try {
        w.write(header.data(), kHeaderBytes);
        w.write(metadata_json.data(), int64_t(metadata_json.size()));
        w.pad_to(directory_offset);
        w.write(directory.data(), int64_t(directory.size()));
        for (size_t i = 0; i < tensors.size(); ++i) {
            const StoredTensor* t = tensors[i].second;
            w.pad_to(placement[i].first);
            w.write(t->data, t->data_bytes());
            if (placement[i].second) {
                w.pad_to(placement[i].second);
                w.write(t->scales, t->scale_bytes());
            }
        }
        w.pad_to(file_bytes - 8);
        if (std::fflush(f) != 0) throw std::runtime_error(tmp + ": write failed");
        std::fclose(f);
        f = nullptr;
        uint64_t sum;
        {
            MappedFile m(tmp);
            sum = chunked_checksum(model.pool(), m.data(), file_bytes - 8);
        }
        std::FILE* a = std::fopen(tmp.c_str(), "ab");
        if (!a || std::fwrite(&sum, 8, 1, a) != 1 || std::fclose(a) != 0) throw std::runtime_error(tmp + ": write failed");
        if (std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error(path + ": cannot rename " + tmp);
    } catch (...) {
        if (f) std::fclose(f);
        std::remove(tmp.c_str());
        throw;
    }
}

namespace {

struct Header {
    int64_t file_bytes, metadata_offset, metadata_bytes, directory_offset, entries, data_offset;
    ModelConfig config;
    int32_t weight_type;
};

Header read_header(const MappedFile& m) {
    const std::string& path = m.path();
    if (m.size() < kHeaderBytes + 8) bad(path, "too short for an engine file (" + std::to_string(m.size()) + " bytes)");
    const uint8_t* p = m.data();
    if (std::memcmp(p, kMagic, 8) != 0) bad(path, "not a Euclid engine file (wrong magic)");
    const uint32_t version = get<uint32_t>(p, 8);
    if (version != kEngineFormatVersion) {
        bad(path, "engine file format version " + std::to_string(version) + ", but this build reads version " +
                      std::to_string(kEngineFormatVersion) + ": rebuild the engine from its checkpoint");
    }
    Header h{};
    if (get<uint32_t>(p, 12) != kHeaderBytes) bad(path, "unexpected header size");
    h.file_bytes = get<int64_t>(p, 16);
    if (h.file_bytes != m.size()) {
        bad(path, "header says " + std::to_string(h.file_bytes) + " bytes but the file has " + std::to_string(m.size()) +
                      ": truncated or corrupt");
    }
    h.metadata_offset = get<int64_t>(p, 24);
    h.metadata_bytes = get<int64_t>(p, 32);
    h.directory_offset = get<int64_t>(p, 40);
    h.entries = get<int64_t>(p, 48);
    h.data_offset = get<int64_t>(p, 56);
    const int64_t end = m.size() - 8;
    if (h.metadata_offset != kHeaderBytes || h.metadata_bytes < 0 || h.metadata_bytes > kMaxMetadataBytes ||
        h.directory_offset < h.metadata_offset + h.metadata_bytes || h.entries < 0 || h.entries > 100000 ||
        h.directory_offset > end || h.entries * kEntryBytes > end - h.directory_offset ||
        h.data_offset < h.directory_offset + h.entries * kEntryBytes || h.data_offset > end) {
        bad(path, "inconsistent section offsets in the header");
    }
    h.config = get_config(p, 64, 128);
    h.weight_type = get<int32_t>(p, 116);
    return h;
}

}  // namespace

std::string engine_metadata(const std::string& path) {
    MappedFile m(path);
    const Header h = read_header(m);
    return std::string(reinterpret_cast<const char*>(m.data() + h.metadata_offset), static_cast<size_t>(h.metadata_bytes));
}

Model* open_engine(const std::string& path, int threads) {
    auto m = std::make_unique<MappedFile>(path);
    const Header h = read_header(*m);
    auto model = std::make_unique<Model>(h.config, threads, h.weight_type);  // validates config and type
    const uint8_t* p = m->data();
    const int64_t end = m->size() - 8;
    const uint64_t stored = get<uint64_t>(p, end);
    const uint64_t actual = chunked_checksum(model->pool(), p, end);
    if (stored != actual) bad(path, "checksum mismatch: the file is corrupt");
    if (h.entries != int64_t(model->required_tensors().size())) {
        bad(path, "directory lists " + std::to_string(h.entries) + " tensors but the config needs " +
                      std::to_string(model->required_tensors().size()));
    }
    for (int64_t i = 0; i < h.entries; ++i) {
        const uint8_t* e = p + h.directory_offset + i * kEntryBytes;
        if (std::memchr(e, 0, kNameBytes) == nullptr) bad(path, "directory entry " + std::to_string(i) + " has no name");
        StoredTensor t;
        const std::string name(reinterpret_cast<const char*>(e));
        t.type = get<int32_t>(e, 64);
        t.rows = get<int64_t>(e, 72);
        t.cols = get<int64_t>(e, 80);
        const int64_t data_at = get<int64_t>(e, 88), scales_at = get<int64_t>(e, 96);
        if (!weight_type_valid(t.type) || t.rows < 1 || t.cols < 1 || t.rows > (int64_t(1) << 24) ||
            t.cols > (int64_t(1) << 24)) {
            bad(path, "tensor '" + name + "' has an invalid type or shape");
        }
        const auto in_data = [&](int64_t off, int64_t bytes) {
            return off >= h.data_offset && off % 64 == 0 && off <= end && bytes <= end - off;
        };
        if (!in_data(data_at, t.data_bytes()) || (t.scale_bytes() && !in_data(scales_at, t.scale_bytes()))) {
            bad(path, "tensor '" + name + "' lies outside the file's data section");
        }
        t.data = p + data_at;
        t.scales = t.scale_bytes() ? reinterpret_cast<const float*>(p + scales_at) : nullptr;
        try {
            model->adopt_tensor(name, std::move(t));
        } catch (const std::invalid_argument& ex) {
            bad(path, ex.what());
        }
    }
    model->finish();
    model->keep_mapping(std::move(m));
    return model.release();
}

}  // namespace euclid
