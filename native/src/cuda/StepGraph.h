// A CUDA graph of a step's kernels, replayed while the batch keeps its shape.
// A decode step launches some fifteen kernels per layer; as one graph launch
// their launch overhead goes, which at batch 1 is a large share of a step on
// a fast GPU. Kernel arguments are captured by value, and every argument that
// changes from step to step (tokens, positions, block tables) is read from the
// step's uploaded batch instead, so a graph stays valid for as long as the
// arguments themselves (sizes and buffer addresses: the Key) do not change.
#pragma once

#include <memory>

#include "cuda/Context.h"
#include "cuda/KernelParams.h"

namespace euclid::cuda {

class StepGraph {
public:
    // Everything the captured launches' arguments depend on.
    struct Key {
        BatchArrays batch;
        CUdeviceptr logit_rows, pool;
        int32_t n_logits, kv_dtype;
        int64_t block_bytes;

        bool operator==(const Key& o) const {
            const BatchArrays &a = batch, &b = o.batch;
            return a.tokens == b.tokens && a.positions == b.positions && a.slots == b.slots && a.prefix == b.prefix &&
                   a.hole_begin == b.hole_begin && a.hole_end == b.hole_end && a.ancestor_offsets == b.ancestor_offsets &&
                   a.ancestors == b.ancestors && a.table_offsets == b.table_offsets && a.tables == b.tables && a.n == b.n &&
                   logit_rows == o.logit_rows && pool == o.pool && n_logits == o.n_logits && kv_dtype == o.kv_dtype &&
                   block_bytes == o.block_bytes;
        }
    };

    // Graphs are off when the environment sets EUCLID_CUDA_GRAPHS=0 (to compare, or to rule them out).
    explicit StepGraph(std::shared_ptr<const Context> context);
    ~StepGraph();
    StepGraph(const StepGraph&) = delete;
    StepGraph& operator=(const StepGraph&) = delete;

    // Enqueues the step's kernels: replays the graph of `key` when there is one; captures it when
    // the step before had the same key (the shape repeats), else calls `launches` directly.
    template <typename Launches>
    void run(const Key& key, Launches&& launches) {
        if (exec_ && key == key_) return launch();
        if (!enabled_ || !(has_last_ && key == last_)) {
            last_ = key;
            has_last_ = true;
            launches();
            return;
        }
        reset();
        begin();
        try {
            launches();
        } catch (...) {
            abandon();
            throw;
        }
        end(key);
        launch();
    }

private:
    void launch();
    void begin();
    void end(const Key& key);
    void abandon() noexcept;
    void reset() noexcept;

    std::shared_ptr<const Context> context_;
    bool enabled_;
    CUgraphExec exec_ = nullptr;
    Key key_{}, last_{};
    bool has_last_ = false;
};

}  // namespace euclid::cuda
