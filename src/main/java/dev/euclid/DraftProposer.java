package dev.euclid;

/**
 * A source of draft tokens for speculative decoding that the caller supplies (for example a
 * replay of a known continuation, or a lookup in a document the model is quoting). Drafts are
 * verified by the model, so a bad proposer slows generation down but never changes its output.
 * Called on the engine thread: it must be fast and must not block.
 */
@FunctionalInterface
public interface DraftProposer {
    /**
     * Candidate continuations of {@code tokens[0, length)} (the prompt and the tokens generated so
     * far; do not modify): beams of at most {@code maxTokens} tokens, best first. Beams that share a
     * prefix are verified as one tree, so several guesses cost only their distinct tokens. Return an
     * empty array to decode this step without drafts.
     */
    int[][] propose(int[] tokens, int length, int maxTokens);
}
