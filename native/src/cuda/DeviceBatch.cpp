#include "cuda/DeviceBatch.h"

#include <algorithm>

#include "model/Forward.h"

namespace euclid::cuda {

namespace {

// One past the last slot token t reads or writes.
int32_t slots_reached(const Batch& b, int32_t t) {
    const int32_t slot = b.slots ? b.slots[t] : b.positions[t];
    const int32_t prefix = b.slots ? b.prefix[t] : b.positions[t] + 1;
    int32_t end = std::max(slot + 1, prefix);
    if (b.hole_begin && b.hole_begin[t] < b.hole_end[t] && prefix > b.hole_begin[t]) end = std::max(end, b.hole_end[t]);
    return end;
}

}  // namespace

void DeviceBatch::upload(const std::shared_ptr<const Context>& context, const Batch& b, int32_t block_tokens) {
    const int32_t n = b.n;
    const int32_t n_ancestors = b.slots ? b.ancestor_offsets[n] : 0;
    host_.clear();
    // Sections in this order; offsets are in ints from the start.
    const int64_t tokens = 0, positions = tokens + n, slots = positions + n, prefix = slots + n, hole_begin = prefix + n,
                  hole_end = hole_begin + n, anc_offsets = hole_end + n, ancestors = anc_offsets + n + 1,
                  logit_rows = ancestors + n_ancestors, table_offsets = logit_rows + b.n_logits, tables = table_offsets + n;
    host_.resize(tables);
    for (int32_t t = 0; t < n; ++t) {
        host_[tokens + t] = b.tokens[t];
        host_[positions + t] = b.positions[t];
        host_[slots + t] = b.slots ? b.slots[t] : b.positions[t];
        host_[prefix + t] = b.slots ? b.prefix[t] : b.positions[t] + 1;
        host_[hole_begin + t] = b.hole_begin ? b.hole_begin[t] : 0;
        host_[hole_end + t] = b.hole_end ? b.hole_end[t] : 0;
        host_[anc_offsets + t] = b.slots ? b.ancestor_offsets[t] : 0;
    }
    host_[anc_offsets + n] = n_ancestors;
    std::copy(b.ancestors, b.ancestors + n_ancestors, host_.begin() + ancestors);
    std::copy(b.logit_rows, b.logit_rows + b.n_logits, host_.begin() + logit_rows);
    // Block tables: a run of tokens with the same table (one sequence) shares one copy, as long as its furthest slot needs.
    for (int32_t t = 0; t < n;) {
        int32_t end = t, reached = 0;
        while (end < n && b.tables[end] == b.tables[t]) reached = std::max(reached, slots_reached(b, end++));
        const int64_t offset = static_cast<int64_t>(host_.size()) - tables;
        const int32_t entries = (reached + block_tokens - 1) / block_tokens;
        host_.insert(host_.end(), b.tables[t], b.tables[t] + entries);
        for (int32_t i = t; i < end; ++i) host_[table_offsets + i] = static_cast<int32_t>(offset);
        t = end;
    }
    const int64_t bytes = static_cast<int64_t>(host_.size()) * 4;
    if (device_.bytes() < bytes) device_ = DeviceBuffer(context, std::max<int64_t>(bytes, 2 * device_.bytes()), "the step's batch");
    context->upload(device_.address(), host_.data(), bytes);
    const CUdeviceptr base = device_.address();
    auto at = [base](int64_t offset) { return base + static_cast<CUdeviceptr>(offset) * 4; };
    arrays_ = BatchArrays{at(tokens), at(positions), at(slots), at(prefix), at(hole_begin), at(hole_end), at(anc_offsets),
                          at(ancestors), at(table_offsets), at(tables), n};
    logit_rows_ = at(logit_rows);
}

}  // namespace euclid::cuda
