#include "model/BatchLayout.h"

#include "model/Workspace.h"

namespace euclid {

namespace {

// Fills the Batch's slot view (Batch::slots and friends) for a step with draft
// trees or holes. A sequence's tokens go to consecutive slots from its first
// token's slot, its position plus the hole before it. A tree token i sits at
// position start + depth(i), keeps its K/V in the root's slot + i, and sees the
// slots up to the root plus its own branch; a linear token sees the slots up to
// its own. Both skip the hole.
void lay_out_slots(Workspace& ws, Batch& b, const StepDescriptor& step) {
    int64_t t0 = 0, written = 0;
    for (int32_t s = 0; s < step.n_seqs; ++s) {
        const int32_t n = step.n_tokens[s], start = step.starts[s];
        const bool tree = step.sample_modes[s] == SAMPLE_TREE;
        const Hole h = hole_of(step, s);
        const int32_t first_slot = start + h.slots;
        for (int32_t i = 0; i < n; ++i) {
            const int64_t t = t0 + i;
            ws.ancestor_offsets[t] = static_cast<int32_t>(written);
            ws.hole_begin[t] = h.at;
            ws.hole_end[t] = h.at + h.slots;
            ws.slots[t] = first_slot + i;
            if (!tree || i == 0) {
                ws.prefix[t] = first_slot + i + 1;
                continue;
            }
            const int32_t* p = step.parents + t0;
            int32_t d = 0;
            for (int32_t a = i; a != 0; a = p[a]) ++d;
            ws.positions[t] = start + d;
            ws.prefix[t] = first_slot + 1;
            // The branch root side first: walk up into the tail of this token's range, then it is in order.
            for (int32_t a = i, k = d - 1; a != 0; a = p[a], --k) ws.ancestors[written + k] = first_slot + a;
            written += d;
        }
        t0 += n;
    }
    ws.ancestor_offsets[t0] = static_cast<int32_t>(written);
    b.slots = ws.slots.data();
    b.prefix = ws.prefix.data();
    b.ancestor_offsets = ws.ancestor_offsets.data();
    b.ancestors = ws.ancestors.data();
    b.hole_begin = ws.hole_begin.data();
    b.hole_end = ws.hole_end.data();
}

}  // namespace

Batch lay_out_step(Workspace& ws, const StepDescriptor& step) {
    int32_t total = 0, rows = 0;
    bool any_tree = false, any_hole = false;
    for (int32_t s = 0; s < step.n_seqs; ++s) {
        const int32_t n = step.n_tokens[s];
        const bool tree = step.sample_modes[s] == SAMPLE_TREE;
        const int32_t* table = step.tables + step.table_offsets[s];
        for (int32_t i = 0; i < n; ++i) {
            ws.positions[total + i] = step.starts[s] + i;
            ws.tables[total + i] = table;
        }
        // Verification (speculative decoding) samples after every fed token, else after the last.
        for (int32_t i = tree ? 0 : n - 1; i < n; ++i, ++rows) {
            ws.logit_rows[rows] = total + i;
            ws.row_sequence[rows] = s;
        }
        any_tree |= tree;
        any_hole |= hole_of(step, s).slots > 0;
        total += n;
    }
    Batch b;
    b.n = total;
    b.tokens = step.tokens;
    b.positions = ws.positions.data();
    b.tables = ws.tables.data();
    b.n_logits = rows;
    b.logit_rows = ws.logit_rows.data();
    if (any_tree || any_hole) lay_out_slots(ws, b, step);
    return b;
}

Batch lay_out_chunk(Workspace& ws, const int32_t* table, const int32_t* tokens, int32_t n, int32_t pos) {
    for (int32_t t = 0; t < n; ++t) {
        ws.positions[t] = pos + t;
        ws.tables[t] = table;
        ws.logit_rows[t] = t;
    }
    Batch b;
    b.n = n;
    b.tokens = tokens;
    b.positions = ws.positions.data();
    b.tables = ws.tables.data();
    b.n_logits = n;
    b.logit_rows = ws.logit_rows.data();
    return b;
}

}  // namespace euclid
