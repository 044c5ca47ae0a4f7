package dev.euclid;

import java.util.Objects;

/**
 * How a request drafts tokens for speculative decoding. Every kind is lossless: each step verifies
 * the drafts in one forward pass and keeps the longest prefix the model agrees with plus the
 * model's own next token, and every position's token is drawn with that position's random draw —
 * so the output is exactly the output without speculation, greedy or sampled. Drafting is skipped
 * for requests with penalties.
 *
 * @param kind where drafts come from
 * @param draftTokens draft tokens per step (per beam for the drafter), 1..63; 0 only for {@link Kind#OFF}
 * @param beams beams the drafter searches (their prefix tree is verified at once); 1 for the other kinds
 * @param proposer the caller's draft source for {@link Kind#PROPOSER}, else null
 */
public record Speculation(Kind kind, int draftTokens, int beams, DraftProposer proposer) {
    public enum Kind {
        /** No drafts. */
        OFF,
        /** Drafts copied from where the latest tokens appeared earlier in the sequence. */
        PROMPT_LOOKUP,
        /** Beams of the engine's recurrent drafter ({@link Engine#loadDrafter}). */
        REDRAFTER,
        /** Drafts from a {@link DraftProposer}. */
        PROPOSER
    }

    public Speculation {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.OFF ? draftTokens != 0 : draftTokens < 1 || draftTokens > 63) {
            throw new IllegalArgumentException("draftTokens must be in [1, 63], got " + draftTokens);
        }
        if (beams < 1 || beams > 64 || (kind != Kind.REDRAFTER && beams != 1)) {
            throw new IllegalArgumentException("beams must be in [1, 64] (1 unless drafting with the drafter), got " + beams);
        }
        if ((kind == Kind.PROPOSER) != (proposer != null)) {
            throw new IllegalArgumentException("a proposer is needed exactly for Kind.PROPOSER");
        }
    }

    public static Speculation off() {
        return new Speculation(Kind.OFF, 0, 1, null);
    }

    public static Speculation promptLookup(int draftTokens) {
        return new Speculation(Kind.PROMPT_LOOKUP, draftTokens, 1, null);
    }

    /** The engine's drafter, {@code beams} beams of {@code draftTokens} tokens per step. */
    public static Speculation redrafter(int draftTokens, int beams) {
        return new Speculation(Kind.REDRAFTER, draftTokens, beams, null);
    }

    public static Speculation proposer(DraftProposer proposer, int draftTokens) {
        return new Speculation(Kind.PROPOSER, draftTokens, 1, Objects.requireNonNull(proposer, "proposer"));
    }

    public boolean enabled() {
        return kind != Kind.OFF;
    }
}
