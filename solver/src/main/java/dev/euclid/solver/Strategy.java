package dev.euclid.solver;

/** The solver loops of the AIMO prize winners, and plain self-consistency. */
public enum Strategy {
    /**
     * NuminaMath's self-consistency with tool-integrated reasoning: N samples, each running its
     * Python up to M times (tracebacks fed back so it can fix its code); samples whose last run
     * failed, or that give no answer, do not vote.
     */
    SC_TIR("sc-tir"),
    /** NemoSkills (2nd prize): N samples with tool calls, the problem ends once K of them have finished. */
    NEMO("nemo"),
    /** Self-consistency chain of thought: N samples, no tools, majority vote. */
    COT("cot");

    private final String wireName;

    Strategy(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the command line and in results files. */
    public String wireName() {
        return wireName;
    }

    /** The strategy called {@code name} ("sc-tir", "nemo", "cot"). */
    public static Strategy of(String name) {
        for (Strategy s : values()) if (s.wireName.equals(name)) return s;
        throw new IllegalArgumentException("unknown strategy '" + name + "'; expected sc-tir, nemo or cot");
    }
}
