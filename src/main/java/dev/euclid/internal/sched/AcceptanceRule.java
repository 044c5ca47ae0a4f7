package dev.euclid.internal.sched;

import dev.euclid.internal.spec.DraftTree;

/**
 * Which draft a verification step keeps at a tree node, given the token the model sampled there.
 * {@link #EXACT} is the engine's rule; another rule exists only so tests can show that the
 * statistical test of the sampled distribution notices a wrong one.
 */
public interface AcceptanceRule {
    /**
     * The child of {@code node} to accept after the model sampled {@code sampled} there, or -1 to
     * stop (the sampled token is then the step's bonus token). An accepted child's token is emitted.
     */
    int accept(DraftTree tree, int node, int sampled);

    /**
     * Accept a draft exactly when it is the token the model sampled at that position with that
     * position's draw: the output is then the output without drafts, token for token, so the
     * distribution is the model's. For a deterministic draft this accepts with probability p(draft),
     * the rate of rejection sampling.
     */
    AcceptanceRule EXACT = DraftTree::child;
}
