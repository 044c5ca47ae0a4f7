package dev.euclid.solver.sandbox;

import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.ExecutionLimits;

/** PLACEHOLDER until the sandbox branch merges: it replaces this class with the real executors. */
public final class Sandboxes {
    private Sandboxes() {}

    /** "local" | "local-unisolated" | "http://...": none exists in this build yet. */
    public static CodeExecutor open(String spec, ExecutionLimits limits) {
        throw new IllegalArgumentException("no sandbox executors in this build yet: " + spec);
    }
}
