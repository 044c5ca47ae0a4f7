#include "kv/KvCache.h"

#include <array>
#include <cmath>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "io/TensorFile.h"
#include "kernels/cpu/Kernels.h"
#include "kernels/cpu/isa/KernelTable.h"
#include "model/Model.h"
#include "quant/Fp8.h"
#include "quant/Quantize.h"

namespace euclid {

namespace {

int64_t element_bytes(int32_t dtype) {
    switch (dtype) {
        case KVT_F32: return 4;
        case KVT_F16: return 2;
        case KVT_FP8: return 1;
        default: throw std::invalid_argument("unknown KV cache dtype " + std::to_string(dtype));
    }
}

int64_t row_bytes_for(const Model& model, int32_t dtype) {
    return model.kv_dim() * element_bytes(dtype) + (dtype == KVT_FP8 ? int64_t(model.config().n_kv_heads) * 4 : 0);
}

// fp8_to_float of every byte value: its ldexp per element made FP8 KV attention
// ~5x slower than FP32 KV at context 1,000.
const float* fp8_values() {
    static const std::array<float, 256> values = [] {
        std::array<float, 256> v{};
        for (int b = 0; b < 256; ++b) v[b] = fp8_to_float(static_cast<uint8_t>(b));
        return v;
    }();
    return values.data();
}

}  // namespace

int64_t KvCache::bytes_per_block(const Model& model, int32_t block_tokens, int32_t dtype) {
    if (block_tokens < 1 || block_tokens > 4096) {
        throw std::invalid_argument("KV block size " + std::to_string(block_tokens) + " is outside [1, 4096] tokens");
    }
    return int64_t(model.config().n_layers) * 2 * block_tokens * row_bytes_for(model, dtype);
}

KvCache::KvCache(const Model& model, int64_t n_blocks, int32_t block_tokens, int32_t dtype)
    : n_blocks_(n_blocks), block_tokens_(block_tokens), dtype_(dtype) {
    block_bytes_ = bytes_per_block(model, block_tokens, dtype);
    if (n_blocks < 1 || n_blocks > (int64_t(1) << 31) - 1 || n_blocks > (int64_t(1) << 46) / block_bytes_) {
        throw std::invalid_argument("KV cache of " + std::to_string(n_blocks) + " blocks of " +
                                    std::to_string(block_bytes_) + " bytes is out of range");
    }
    const ModelConfig& c = model.config();
    kv_dim_ = static_cast<int32_t>(model.kv_dim());
    head_dim_ = c.head_dim;
    n_kv_heads_ = c.n_kv_heads;
    row_bytes_ = row_bytes_for(model, dtype);
    const int64_t bytes = n_blocks * block_bytes_;
    device_pool_ = model.backend().allocate_kv(bytes);
    if (device_pool_) return;
    try {
        pool_ = make_tracked_buffer<uint8_t>(64, static_cast<size_t>(bytes));
    } catch (const std::bad_alloc&) {
        throw std::runtime_error("cannot allocate a KV cache of " + std::to_string(bytes) + " bytes");
    }
}

int64_t KvCache::offset(int64_t block, int layer, int kv, int slot) const {
    return block * block_bytes_ + ((int64_t(layer) * 2 + kv) * block_tokens_ + slot) * row_bytes_;
}

uint8_t* KvCache::row(int64_t block, int layer, int kv, int slot) const { return pool_.get() + offset(block, layer, kv, slot); }

void KvCache::write(int64_t block, int layer, int kv, int slot, const float* src) {
    uint8_t* dst = row(block, layer, kv, slot);
    switch (dtype_) {
        case KVT_F32:
            std::memcpy(dst, src, sizeof(float) * kv_dim_);
            break;
        case KVT_F16:
            for (int i = 0; i < kv_dim_; ++i) {
                const uint16_t h = float_to_half(src[i]);
                std::memcpy(dst + 2 * i, &h, 2);
            }
            break;
        default: {
            uint8_t* scales = dst + kv_dim_;  // not 4-byte aligned in general: accessed with memcpy
            for (int h = 0; h < n_kv_heads_; ++h) {
                const float* s = src + int64_t(h) * head_dim_;
                float absmax = 0.0f;
                for (int i = 0; i < head_dim_; ++i) absmax = std::fmax(absmax, std::fabs(s[i]));
                const float scale = absmax > 0.0f ? absmax / kFp8Max : 1.0f;
                std::memcpy(scales + 4 * h, &scale, 4);
                for (int i = 0; i < head_dim_; ++i) dst[int64_t(h) * head_dim_ + i] = float_to_fp8(s[i] / scale);
            }
        }
    }
}

const float* KvCache::read(int64_t block, int layer, int kv, int slot, int head, float* scratch) const {
    if (dtype_ == KVT_F32) return reinterpret_cast<const float*>(row(block, layer, kv, slot)) + int64_t(head) * head_dim_;
    convert_rows(block, layer, kv, slot, 1, head, scratch);
    return scratch;
}

void KvCache::convert_rows(int64_t block, int layer, int kv, int slot, int n, int head, float* out) const {
    const auto halves_to_floats = kernels::table().half_to_float;
    const float* fp8 = fp8_values();
    for (int i = 0; i < n; ++i, out += head_dim_) {
        const uint8_t* r = row(block, layer, kv, slot + i);
        if (dtype_ == KVT_F16) {
            // Rows are 2-byte aligned: the pool is 64-byte aligned and FP16 rows are kv_dim * 2 bytes.
            halves_to_floats(reinterpret_cast<const uint16_t*>(r) + int64_t(head) * head_dim_, out, head_dim_);
        } else {
            float scale;
            std::memcpy(&scale, r + kv_dim_ + 4 * head, 4);
            for (int j = 0; j < head_dim_; ++j) out[j] = fp8[r[int64_t(head) * head_dim_ + j]] * scale;
        }
    }
}

void KvCache::apply(const int32_t* ops, int32_t n) {
    for (int32_t i = 0; i < n; ++i) {
        const int32_t* op = ops + int64_t(i) * KV_OP_INTS;
        if (op[0] == KV_COPY_BLOCK) {
            if (op[1] != op[3]) copy_block(op[1], op[3]);
        } else if (op[1] != op[3] || op[2] != op[4]) {
            copy_token(op[1], op[2], op[3], op[4]);
        }
    }
}

void KvCache::copy_block(int64_t src, int64_t dst) {
    if (device_pool_) {
        device_pool_->copy_within(dst * block_bytes_, src * block_bytes_, block_bytes_);
        return;
    }
    std::memcpy(pool_.get() + dst * block_bytes_, pool_.get() + src * block_bytes_, static_cast<size_t>(block_bytes_));
}

void KvCache::copy_token(int64_t src_block, int src_slot, int64_t dst_block, int dst_slot) {
    const int layers = static_cast<int>(block_bytes_ / (2 * block_tokens_ * row_bytes_));
    for (int l = 0; l < layers; ++l) {
        for (int kv = 0; kv < 2; ++kv) {
            if (device_pool_) {
                device_pool_->copy_within(offset(dst_block, l, kv, dst_slot), offset(src_block, l, kv, src_slot), row_bytes_);
                continue;
            }
            std::memmove(row(dst_block, l, kv, dst_slot), row(src_block, l, kv, src_slot), static_cast<size_t>(row_bytes_));
        }
    }
}

}  // namespace euclid
