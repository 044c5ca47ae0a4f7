// libFuzzer target: Euclid engine files (io/EngineFile.cpp) through the public
// entry points model_open and engine_file_metadata.
//
// A mutated file almost never keeps a valid checksum, so most inputs would stop
// at the checksum check. The harness therefore repairs the length field and the
// checksum before opening, which sends mutations on to the directory and tensor
// checks behind them; a file whose last (reserved) header byte is kRawMarker is
// opened exactly as given, so the length and checksum checks are fuzzed too.
//
// Every input must end in a std::exception (what JavaCPP turns into a Java
// exception) or a model that opens; and whatever happened, every byte the
// engine counted (mapping, tensor storage) must be given back.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "FuzzFile.h"
#include "euclid/euclid.h"
#include "io/Checksum.h"
#include "runtime/ThreadPool.h"

namespace {

constexpr size_t kHeaderBytes = 192;
constexpr uint8_t kRawMarker = 0x5A;

void repair_length_and_checksum(std::vector<uint8_t>& file) {
    const int64_t size = static_cast<int64_t>(file.size());
    std::memcpy(file.data() + 16, &size, 8);
    static euclid::ThreadPool pool(1);
    const uint64_t sum = euclid::chunked_checksum(pool, file.data(), size - 8);
    std::memcpy(file.data() + size - 8, &sum, 8);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<uint8_t> bytes(data, data + size);
    if (size >= kHeaderBytes + 8 && bytes[kHeaderBytes - 1] != kRawMarker) repair_length_and_checksum(bytes);
    euclid_fuzz::FuzzFile file(bytes.data(), bytes.size());

    const int64_t before = euclid::native_bytes_in_use();
    try {
        const std::string metadata = euclid::engine_file_metadata(file.path().c_str());
        if (metadata.size() > size) std::abort();  // metadata must come from inside the file
    } catch (const std::exception&) {
    }
    try {
        euclid::Model* model = euclid::model_open(file.path().c_str(), 1, int32_t(size & 1));  // both placements
        // A model that opens must describe itself consistently.
        const euclid::ModelConfig config = euclid::model_config(model);
        if (config.dim < 1 || config.vocab_size < 1) std::abort();
        if (euclid::model_bytes_per_token(model) <= 0) std::abort();
        euclid::model_free(model);
    } catch (const std::exception&) {
    }
    if (euclid::native_bytes_in_use() != before) {
        std::fprintf(stderr, "native_bytes_in_use changed from %lld to %lld: a buffer or mapping leaked\n",
                     static_cast<long long>(before), static_cast<long long>(euclid::native_bytes_in_use()));
        std::abort();
    }
    return 0;
}
