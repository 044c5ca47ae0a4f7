// Arguments of the CUDA kernels that take more than a few scalars, as plain
// structs passed by value to cuLaunchKernel: host code (g++) and device code
// (nvcc) include this one definition, so both agree on the layout. Device
// pointers are 64-bit integers on the host side and pointers on the device side.
#pragma once

#include <cstdint>

namespace euclid::cuda {

#ifdef __CUDACC__
template <typename T>
using DevicePtr = T*;
#else
template <typename T>
using DevicePtr = unsigned long long;  // a CUdeviceptr
#endif

// Where K/V rows live in the paged pool (kv/KvCache.h's layout, in device memory):
// block b, layer l, K (0) or V (1), slot s is the row at
// pool + b * block_bytes + ((l * 2 + kv) * block_tokens + s) * row_bytes.
struct KvLayout {
    DevicePtr<uint8_t> pool;
    int64_t block_bytes;
    int64_t row_bytes;
    int32_t block_tokens;
    int32_t dtype;  // a KvType
    int32_t kv_dim;
    int32_t head_dim;
    int32_t n_kv_heads;
    int32_t layer;
};

// The ragged batch on the device (model/Forward.h's Batch, every optional array
// filled in): per token its position, slot, attention prefix, hole [hole_begin,
// hole_end) (empty when equal), draft-tree ancestors and block table.
struct BatchArrays {
    DevicePtr<const int32_t> tokens;
    DevicePtr<const int32_t> positions;
    DevicePtr<const int32_t> slots;
    DevicePtr<const int32_t> prefix;
    DevicePtr<const int32_t> hole_begin;
    DevicePtr<const int32_t> hole_end;
    DevicePtr<const int32_t> ancestor_offsets;  // n + 1 entries
    DevicePtr<const int32_t> ancestors;
    DevicePtr<const int32_t> table_offsets;     // token t's block table starts at tables[table_offsets[t]]
    DevicePtr<const int32_t> tables;
    int32_t n;
};

// A weight matrix on the device: rows x cols of a WeightType, row-major, with
// one FP32 scale per row for FP8 and INT8 (kernels/cpu/Matrix.h's layout).
struct DeviceMatrix {
    DevicePtr<const uint8_t> data;
    DevicePtr<const float> scales;
    int64_t rows;
    int64_t cols;
    int32_t type;  // a WeightType
};

// out[t * rows + r] = x[t * cols ..] . W row r (* scale[r]) (+ bias[r]), for t < n.
struct MatmulArgs {
    DevicePtr<float> out;
    DevicePtr<const float> x;
    DevicePtr<const float> bias;  // null: none
    DeviceMatrix w;
    int32_t n;
};

// g++ (host) and nvcc (device) must lay these out alike: checked on both sides.
static_assert(sizeof(KvLayout) == 48 && sizeof(BatchArrays) == 88 && sizeof(DeviceMatrix) == 40 && sizeof(MatmulArgs) == 72,
              "kernel argument structs changed size: update every kernel and launch that passes them");

}  // namespace euclid::cuda
