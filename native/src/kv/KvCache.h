// The paged KV cache: one pool of fixed-size blocks, each holding K and V of
// `block_tokens` consecutive positions for every layer. Which blocks a
// sequence owns (its block table), sharing, copy-on-write and prefix caching
// are Java's policy; this class only stores rows and copies blocks.
//
// Element types: KvType in euclid.h. Block layout: [layer][K, V][token in block] rows of kv_dim elements; with FP8
// each row is followed by one FP32 scale per KV head (absmax / 448 of that
// head's slice), so a token is written once and never re-quantised.
#pragma once

#include <cstdint>
#include <memory>

#include "backend/Backend.h"
#include "euclid/euclid.h"
#include "runtime/NativeMemory.h"

namespace euclid {

class Model;

class KvCache {
public:
    KvCache(const Model& model, int64_t n_blocks, int32_t block_tokens, int32_t dtype);

    // Bytes one block takes for this model (throws on bad arguments).
    static int64_t bytes_per_block(const Model& model, int32_t block_tokens, int32_t dtype);

    int64_t n_blocks() const { return n_blocks_; }
    int32_t block_tokens() const { return block_tokens_; }
    int32_t dtype() const { return dtype_; }
    int64_t block_bytes() const { return block_bytes_; }
    int64_t row_bytes() const { return row_bytes_; }
    // The pool in device memory when the model's backend keeps it there, else null
    // (then the pool is in host memory and the accessors below read it).
    DeviceMemory* device_pool() const { return device_pool_.get(); }

    // Stores one token's K or V row (kv_dim floats) at (block, layer, slot).
    void write(int64_t block, int layer, int kv, int slot, const float* row);
    // One KV head's slice of a stored row as FP32: a pointer into the pool for
    // FP32, else the slice converted into scratch[head_dim].
    const float* read(int64_t block, int layer, int kv, int slot, int head, float* scratch) const;
    // FP16 and FP8 caches: one KV head's slices of slots [slot, slot + n) of a
    // block, converted into out[n * head_dim] (rows head_dim apart).
    void convert_rows(int64_t block, int layer, int kv, int slot, int n, int head, float* out) const;

    // Applies n checked KV operations (KV_OP_INTS ints each, see KvOpKind in euclid.h) in order.
    void apply(const int32_t* ops, int32_t n);

    void copy_block(int64_t src, int64_t dst);
    // Copies one token's K and V rows, every layer, from (src_block, src_slot) to
    // (dst_block, dst_slot): an accepted draft token's K/V moves from its tree
    // slot to its position.
    void copy_token(int64_t src_block, int src_slot, int64_t dst_block, int dst_slot);

    // FP32 caches only: the first K (kv = 0) or V row of a block for one layer;
    // rows of consecutive slots are row_floats() apart. Lets attention walk a
    // block with pointer arithmetic instead of a call per position.
    const float* f32_rows(int64_t block, int layer, int kv) const {
        return reinterpret_cast<const float*>(row(block, layer, kv, 0));
    }
    int64_t row_floats() const { return row_bytes_ / 4; }

private:
    int64_t offset(int64_t block, int layer, int kv, int slot) const;  // of a row in the pool
    uint8_t* row(int64_t block, int layer, int kv, int slot) const;

    int64_t n_blocks_;
    int32_t block_tokens_, dtype_;
    int32_t kv_dim_ = 0, head_dim_ = 0, n_kv_heads_ = 0;
    int64_t row_bytes_ = 0, block_bytes_ = 0;
    TrackedBuffer<uint8_t> pool_;  // counted in native_bytes_in_use; empty with a device pool
    std::unique_ptr<DeviceMemory> device_pool_;
};

}  // namespace euclid
