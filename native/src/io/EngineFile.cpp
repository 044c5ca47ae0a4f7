#include "io/EngineFile.h"

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "io/Checksum.h"
#include "io/FileImage.h"
#include "model/Model.h"

namespace euclid {

namespace {

constexpr char kMagic[8] = {'E', 'U', 'C', 'L', 'I', 'D', 'E', 'F'};
constexpr int64_t kMaxMetadataBytes = int64_t(256) << 20;

// The file's header and directory entries, as stored (little-endian, as is
// every target of this engine). Read and written whole with memcpy: the
// mapping gives no alignment guarantee for the directory.
struct FileHeader {
    char magic[8];
    uint32_t version;
    uint32_t header_bytes;
    int64_t file_bytes;
    int64_t metadata_offset, metadata_bytes;
    int64_t directory_offset, entries;
    int64_t data_offset;
    ModelConfig config;  // 23 four-byte fields in declaration order
    int32_t weight_type;
    uint8_t reserved[32];
};
static_assert(sizeof(ModelConfig) == 92, "ModelConfig is stored as 23 four-byte fields");
static_assert(offsetof(FileHeader, config) == 64 && offsetof(FileHeader, weight_type) == 156, "header layout");
static_assert(sizeof(FileHeader) == 192, "the header is 192 bytes");

struct DirectoryEntry {
    char name[64];  // NUL-terminated
    int32_t type;   // WeightType
    int32_t reserved;
    int64_t rows, cols;
    int64_t data_offset, scales_offset;  // scales_offset 0: no scales
};
static_assert(sizeof(DirectoryEntry) == 104, "a directory entry is 104 bytes");

constexpr int64_t kHeaderBytes = sizeof(FileHeader);
constexpr int64_t kEntryBytes = sizeof(DirectoryEntry);

int64_t align64(int64_t v) { return (v + 63) / 64 * 64; }

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
        if (name.size() >= sizeof(DirectoryEntry::name)) throw std::logic_error("tensor name too long: " + name);
        const int64_t data_at = at;
        at = align64(at + t->data_bytes());
        const int64_t scales_at = t->scale_bytes() ? at : 0;
        if (scales_at) at = align64(at + t->scale_bytes());
        placement.emplace_back(data_at, scales_at);
        DirectoryEntry e{};
        std::memcpy(e.name, name.data(), name.size());
        e.type = t->type;
        e.rows = t->rows;
        e.cols = t->cols;
        e.data_offset = data_at;
        e.scales_offset = scales_at;
        std::memcpy(directory.data() + i * kEntryBytes, &e, sizeof e);
    }
    const int64_t file_bytes = at + 8;

    FileHeader header{};
    std::memcpy(header.magic, kMagic, sizeof kMagic);
    header.version = kEngineFormatVersion;
    header.header_bytes = static_cast<uint32_t>(kHeaderBytes);
    header.file_bytes = file_bytes;
    header.metadata_offset = metadata_offset;
    header.metadata_bytes = int64_t(metadata_json.size());
    header.directory_offset = directory_offset;
    header.entries = int64_t(tensors.size());
    header.data_offset = data_offset;
    header.config = model.config();
    header.weight_type = model.weight_type();

    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw std::runtime_error(tmp + ": cannot create: " + std::strerror(errno));
    Writer w{f, tmp};
    try {
        w.write(&header, kHeaderBytes);
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
            const auto m = FileImage::map(tmp);
            sum = chunked_checksum(model.pool(), m->data(), file_bytes - 8);
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

FileHeader read_header(const FileImage& m) {
    const std::string& path = m.path();
    if (m.size() < kHeaderBytes + 8) bad(path, "too short for an engine file (" + std::to_string(m.size()) + " bytes)");
    FileHeader h;
    std::memcpy(&h, m.data(), sizeof h);
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) bad(path, "not a Euclid engine file (wrong magic)");
    if (h.version != kEngineFormatVersion) {
        bad(path, "engine file format version " + std::to_string(h.version) + ", but this build reads version " +
                      std::to_string(kEngineFormatVersion) + ": rebuild the engine from its checkpoint");
    }
    if (h.header_bytes != kHeaderBytes) bad(path, "unexpected header size");
    if (h.file_bytes != m.size()) {
        bad(path, "header says " + std::to_string(h.file_bytes) + " bytes but the file has " + std::to_string(m.size()) +
                      ": truncated or corrupt");
    }
    const int64_t end = m.size() - 8;
    if (h.metadata_offset != kHeaderBytes || h.metadata_bytes < 0 || h.metadata_bytes > kMaxMetadataBytes ||
        h.directory_offset < h.metadata_offset + h.metadata_bytes || h.entries < 0 || h.entries > 100000 ||
        h.directory_offset > end || h.entries * kEntryBytes > end - h.directory_offset ||
        h.data_offset < h.directory_offset + h.entries * kEntryBytes || h.data_offset > end) {
        bad(path, "inconsistent section offsets in the header");
    }
    return h;
}

}  // namespace

std::string engine_metadata(const std::string& path) {
    const auto m = FileImage::map(path);
    const FileHeader h = read_header(*m);
    return std::string(reinterpret_cast<const char*>(m->data() + h.metadata_offset), static_cast<size_t>(h.metadata_bytes));
}

Model* open_engine(const std::string& path, int threads, bool mapped) {
    auto m = FileImage::map(path);
    const FileHeader h = read_header(*m);
    auto model = std::make_unique<Model>(h.config, threads, h.weight_type);  // validates config and type
    if (!mapped) {
        // The copy is read after the header: what was read before must still be what it holds.
        auto copy = FileImage::read(path, model->pool());
        if (copy->size() != m->size() || std::memcmp(copy->data(), m->data(), kHeaderBytes) != 0) {
            bad(path, "the file changed while it was being opened");
        }
        m = std::move(copy);
    }
    const uint8_t* p = m->data();
    const int64_t end = m->size() - 8;
    uint64_t stored;
    std::memcpy(&stored, p + end, sizeof stored);
    const uint64_t actual = chunked_checksum(model->pool(), p, end);
    if (stored != actual) bad(path, "checksum mismatch: the file is corrupt");
    if (h.entries != int64_t(model->required_tensors().size())) {
        bad(path, "directory lists " + std::to_string(h.entries) + " tensors but the config needs " +
                      std::to_string(model->required_tensors().size()));
    }
    for (int64_t i = 0; i < h.entries; ++i) {
        DirectoryEntry e;
        std::memcpy(&e, p + h.directory_offset + i * kEntryBytes, sizeof e);
        if (std::memchr(e.name, 0, sizeof e.name) == nullptr) bad(path, "directory entry " + std::to_string(i) + " has no name");
        StoredTensor t;
        const std::string name(e.name);
        t.type = e.type;
        t.rows = e.rows;
        t.cols = e.cols;
        const int64_t data_at = e.data_offset, scales_at = e.scales_offset;
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
    model->keep_file(std::move(m));
    return model.release();
}

}  // namespace euclid
