package dev.euclid.internal.sched;

import dev.euclid.internal.kv.BlockManager;
import java.util.Arrays;
import java.util.List;

/**
 * Starts a request, or restarts a preempted sample, when the block manager says its tokens fit the
 * free blocks now; until then it waits.
 */
final class Admission {
    private final BlockManager blocks;

    Admission(BlockManager blocks) {
        this.blocks = blocks;
    }

    /** Starts sample 0 of {@code r} if its prompt fits now; the other samples fork from it later. */
    boolean admit(RequestState r) {
        if (!blocks.canAdmit(r.prompt.length)) return false;
        r.samples.add(new SequenceState(r, 0, blocks.open(r.prompt, true, holeRoom(r))));
        return true;
    }

    /**
     * Preempted samples come back in {@code order} once their tokens' blocks fit; the first that does
     * not fit stops the rest, so a lower priority never takes the blocks a higher one waits for.
     */
    void readmitPreempted(List<RequestState> order) {
        for (RequestState r : order) {
            for (SequenceState s : r.samples) {
                if (s.blocks != null || s.finished()) continue;
                if (!blocks.canAdmit(s.length)) return;
                // Its tokens so far are recomputed; the prefix cache finds what is still cached.
                s.blocks = blocks.open(Arrays.copyOf(s.tokens, s.length), true, holeRoom(r));
            }
        }
    }

    /**
     * The positions a sample of {@code r} may hold (the last token is sampled, never fed), for
     * {@link BlockManager#open}; 0 for a request of several samples before they fork: they will leave
     * a hole of their own after the prompt, and a sequence has at most one.
     */
    private static int holeRoom(RequestState r) {
        return r.request.samples() == 1 || r.forked ? r.prompt.length + r.maxNew - 1 : 0;
    }
}
