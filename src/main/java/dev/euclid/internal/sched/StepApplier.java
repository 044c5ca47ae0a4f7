package dev.euclid.internal.sched;

import dev.euclid.internal.kv.BlockManager;
import dev.euclid.internal.spec.BeamDrafter;
import dev.euclid.internal.spec.DraftTree;

/**
 * Applies a step's results to its plan's samples (the apply half of the engine loop): commits the
 * K/V the step computed, keeps the drafts the model agrees with, forks the other samples of a
 * request off sample 0's first token, appends and publishes tokens, finishes samples and requests,
 * and then lets the drafter propose the next drafts. Engine thread only.
 */
final class StepApplier implements AutoCloseable {
    private final BlockManager blocks;
    private final RequestQueue requests;
    private final SchedulerMetrics metrics;
    private final Proposals proposals = new Proposals();
    private AcceptanceRule acceptance = AcceptanceRule.EXACT;
    private BeamDrafter drafter;

    StepApplier(BlockManager blocks, RequestQueue requests, SchedulerMetrics metrics) {
        this.blocks = blocks;
        this.requests = requests;
        this.metrics = metrics;
    }

    void useAcceptanceRule(AcceptanceRule rule) {
        this.acceptance = rule;
    }

    /** Installs the drafter REDRAFTER requests draft with, closing an earlier one. */
    void useDrafter(BeamDrafter drafter) {
        if (this.drafter != null) this.drafter.close();
        this.drafter = drafter;
    }

    /** Applies the results {@code step} holds for {@code plan}; returns how many tokens were sampled. */
    int apply(StepPlan plan, StepRunner step) {
        long now = System.nanoTime();
        int sampled = 0;
        proposals.clear();
        for (int i = 0; i < plan.entries().size(); i++) {
            StepPlan.Entry e = plan.entries().get(i);
            SequenceState s = e.sequence();
            if (s.finished()) continue; // stopped by its group earlier in this loop; its blocks are already free
            switch (e.outcome()) {
                case VERIFY -> sampled += verify(step, i, s, e.draft(), now);
                case PROMPT_CHUNK -> blocks.commit(s.blocks, s.tokens, e.from() + e.count());
                case NEXT_TOKEN -> {
                    blocks.commit(s.blocks, s.tokens, e.from() + e.count());
                    sampled += nextToken(step, i, s, now);
                }
            }
        }
        if (drafter != null) proposals.run(drafter);
        return sampled;
    }

    /** Appends and publishes the token sampled for entry {@code i}; returns how many tokens were sampled. */
    private int nextToken(StepRunner step, int i, SequenceState s, long now) {
        RequestState r = s.request;
        r.emit(s.accept(step.token(i), step.logprob(i), step.topLogprobs(i), now));
        proposals.add(s, step.lastOutputRow(i));
        int sampled = 1;
        if (!r.forked) sampled += fork(step, r, s, step.lastOutputRow(i), now);
        if (s.finished()) requests.sampleFinished(s, now);
        if (r.allFinished()) requests.finish(r, null);
        return sampled;
    }

    /**
     * Keeps the drafts the model agrees with: the token sampled after each tree token is exactly what
     * decoding without speculation would sample there, so from the root the walk follows the child
     * holding the sampled token while there is one, and the first sampled token without a matching
     * child is the step's bonus token. The accepted tokens' K/V moves from their tree slots to their
     * positions. Rolling back the rejected drafts: their K/V past the sequence's length in its last
     * block is overwritten later, and blocks that held only rejected drafts are released.
     */
    private int verify(StepRunner step, int index, SequenceState s, DraftTree tree, long now) {
        int root = s.length - 1; // the root sat at position root, in slot rootSlot; tree token i in slot rootSlot + i
        int rootSlot = s.blocks.slot(root);
        int node = 0, accepted = 0, sampled = 0;
        int[] path = new int[tree.size()];
        while (true) {
            int next = acceptance.accept(tree, node, step.token(index, node));
            int token = next >= 0 ? tree.token(next) : step.token(index, node);
            s.request.emit(s.accept(token, step.logprob(index, node), step.topLogprobs(index, node), now));
            sampled++;
            if (next < 0) break;
            path[accepted++] = next;
            node = next;
            if (s.finished()) break;
        }
        // The first beam is nodes 1..k, already at its positions; once the path leaves it, it never returns.
        int off = 0;
        while (off < accepted && path[off] == off + 1) off++;
        if (off < accepted) {
            int[] from = new int[accepted - off], to = new int[accepted - off];
            for (int j = off; j < accepted; j++) {
                from[j - off] = rootSlot + path[j];
                to[j - off] = rootSlot + j + 1;
            }
            step.moveTokens(s.blocks, from, to, from.length);
        }
        blocks.commit(s.blocks, s.tokens, root + 1 + accepted);
        blocks.trim(s.blocks);
        metrics.verified(accepted);
        if (!s.finished()) proposals.add(s, step.outputRow(index, node));
        if (s.finished()) requests.sampleFinished(s, now);
        if (s.request.allFinished()) requests.finish(s.request, null);
        return sampled;
    }

    /**
     * Sample 0 has its first token: the other samples draw theirs from the same logits and share its
     * blocks. Returns how many tokens that sampled.
     */
    private int fork(StepRunner step, RequestState r, SequenceState first, int row, long now) {
        r.forked = true;
        int position = r.prompt.length;
        for (int i = 1; i < r.request.samples(); i++) {
            // first.blocks holds the prompt's positions: this step's chunk ended the prompt.
            SequenceState s = new SequenceState(r, i, blocks.fork(first.blocks));
            int token = step.resample(row, s.sampling, position, s.topLogprobs);
            r.samples.add(s);
            r.emit(s.accept(token, step.resampledLogprob(), step.resampledTopLogprobs(), now));
            proposals.add(s, row);
            if (s.finished()) requests.sampleFinished(s, now);
        }
        return r.request.samples() - 1;
    }

    /** Closes the drafter (the engine is closing). */
    @Override
    public void close() {
        if (drafter != null) drafter.close();
    }
}
