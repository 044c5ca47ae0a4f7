// How a step's sequences become the ragged Batch that forward() runs: per token
// its position, block table and K/V slot, and, with draft trees or holes, which
// slots it attends to (see Batch in Forward.h). Built in the workspace's arrays,
// which are sized for any step that fits it, so laying out allocates nothing.
#pragma once

#include <cstdint>

#include "euclid/euclid.h"
#include "model/Forward.h"

namespace euclid {

class Workspace;

// The hole of sequence s of a step as (first position after it, empty slots); (0, 0) without one.
struct Hole {
    int32_t at = 0, slots = 0;
};

inline Hole hole_of(const StepDescriptor& step, int32_t s) {
    return step.holes ? Hole{step.holes[2 * s], step.holes[2 * s + 1]} : Hole{};
}

// The batch of a checked step (runtime/Boundary.h) with at least one sequence:
// every fed token, and logits for the rows the step samples, sequence by
// sequence; ws.row_sequence[r] is the sequence of sampled row r.
Batch lay_out_step(Workspace& ws, const StepDescriptor& step);

// The batch of n checked tokens of one sequence at positions [pos, pos + n)
// with block table `table`, with logits after every token.
Batch lay_out_chunk(Workspace& ws, const int32_t* table, const int32_t* tokens, int32_t n, int32_t pos);

}  // namespace euclid
