// Euclid engine files: a model already converted to its weight format, laid
// out so that opening it is a memory mapping plus validation.
//
// Layout (little-endian, version 2; the header and entry structs in
// EngineFile.cpp are the definition):
//   [0, 192)       header: magic "EUCLIDEF", u32 version, u32 header bytes, u64 file
//                  bytes, u64 metadata offset/bytes, u64 directory offset/entries,
//                  u64 data offset, ModelConfig's 23 fields (4 bytes each, in
//                  declaration order) at 64, i32 weight type at 156, [160, 192) reserved
//   metadata       JSON owned by the Java side (tokenizer, provenance, build settings)
//   directory      one 104-byte entry per tensor: name[64], i32 type, i32 0,
//                  i64 rows, i64 cols, i64 data offset, i64 scales offset (0 = none)
//   tensor data    each tensor and each scale array starts on a 64-byte boundary
//   [size-8, size) u64 checksum of every byte before it (see Checksum.h)
#pragma once

#include <cstdint>
#include <string>

namespace euclid {

class Model;

constexpr uint32_t kEngineFormatVersion = 2;

// Writes a finished model to `path` (via a temporary file renamed into place).
void save_engine(const Model& model, const std::string& path, const std::string& metadata_json);

// Opens and validates an engine file; throws naming the problem (wrong magic or
// version, truncation, bad checksum, inconsistent directory). The weights are read
// in place from the file's mapping (`mapped`) or from a private copy in huge pages
// (io/FileImage.h).
Model* open_engine(const std::string& path, int threads, bool mapped);

// The metadata JSON of an opened engine file.
std::string engine_metadata(const std::string& path);

}  // namespace euclid
