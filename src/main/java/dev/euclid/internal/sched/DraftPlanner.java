package dev.euclid.internal.sched;

import dev.euclid.Speculation;
import dev.euclid.internal.NativeApi;
import dev.euclid.internal.spec.DraftTree;
import java.util.Arrays;
import java.util.List;

/** The draft tree each decoding sample verifies in a step, within the step's share of draft tokens. */
final class DraftPlanner {
    private final int context;
    private final int vocab;
    private final int speculativeStepTokens;

    /**
     * @param speculativeStepTokens tokens a step may hold with draft tokens included (see
     *     {@link #room}); decode tokens and prompt chunks are not limited by it
     */
    DraftPlanner(int context, int vocab, int speculativeStepTokens) {
        this.context = context;
        this.vocab = vocab;
        this.speculativeStepTokens = speculativeStepTokens;
    }

    /**
     * Draft tokens each speculating sample may verify this step. Verifying costs little while a step
     * stays memory-bound (the weights are read once whatever the tokens) and then grows with the
     * tokens, so drafts share a budget of tokens per step: a lone sequence gets a large tree, many
     * sequences small ones, and a batch that already fills the budget decodes without drafts.
     */
    int room(List<SequenceState> decoding) {
        int speculating = 0;
        for (SequenceState s : decoding) if (s.request.request.speculation().enabled()) speculating++;
        return speculating == 0 ? 0 : Math.max(0, (speculativeStepTokens - decoding.size()) / speculating);
    }

    /**
     * The draft tree a decoding sample verifies this step, within {@code room} draft tokens and the
     * sample's limits; null to decode one token.
     */
    DraftTree draftFor(SequenceState s, int room) {
        Speculation spec = s.request.request.speculation();
        if (!spec.enabled() || s.sampling.hasPenalties()) return null;
        int depth = Math.min(spec.draftTokens(), Math.min(s.request.maxNew - s.generated() - 1, context - s.length));
        int nodes = Math.min(room, NativeApi.MAX_TREE_TOKENS - 1);
        if (depth <= 0 || nodes <= 0) return null;
        DraftTree tree = switch (spec.kind()) {
            case PROMPT_LOOKUP -> {
                int[] draft = PromptLookup.draft(s.tokens, s.length, Math.min(depth, nodes));
                yield DraftTree.chain(draft, draft.length);
            }
            case REDRAFTER -> s.beams == null || s.beamsAt != s.length ? null
                    : DraftTree.ofBeams(s.beams, spec.beams(), spec.draftTokens(), depth, nodes);
            case PROPOSER -> proposed(s, spec, depth, nodes);
            case OFF -> null;
        };
        return tree == null || tree.size() == 0 ? null : tree;
    }

    /** The caller's proposer's beams as a tree; a proposer that fails or returns bad tokens fails its request. */
    private DraftTree proposed(SequenceState s, Speculation spec, int depth, int nodes) {
        try {
            int[][] beams = spec.proposer().propose(s.tokens, s.length, depth);
            if (beams == null) throw new IllegalArgumentException("the draft proposer returned null");
            int[] flat = new int[beams.length * depth];
            Arrays.fill(flat, -1);
            for (int b = 0; b < beams.length; b++) {
                int[] beam = beams[b];
                if (beam == null || beam.length > depth) {
                    throw new IllegalArgumentException("the draft proposer returned a beam of "
                            + (beam == null ? "null" : beam.length + " tokens") + " (at most " + depth + " asked)");
                }
                for (int i = 0; i < beam.length; i++) {
                    if (beam[i] < 0 || beam[i] >= vocab) {
                        throw new IllegalArgumentException("the draft proposer returned token " + beam[i]
                                + ", outside the vocabulary [0, " + vocab + ")");
                    }
                    flat[b * depth + i] = beam[i];
                }
            }
            return DraftTree.ofBeams(flat, beams.length, depth, depth, nodes);
        } catch (RuntimeException e) {
            s.request.failure = e;
            return null;
        }
    }
}
