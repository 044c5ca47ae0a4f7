package dev.euclid.solver;

/**
 * What one run of model-written code produced. {@code stdout} and {@code stderr} are already
 * capped by the executor (head and tail kept).
 */
public record ExecutionResult(Status status, String stdout, String stderr, double seconds) {
    public enum Status {
        /** Exited normally with status 0. */
        OK,
        /** Raised, exited non-zero, or could not be started (the reason is in stderr). */
        ERROR,
        /** Killed at its wall-clock or CPU limit. */
        TIMEOUT,
        /** Killed by a signal or a resource limit other than time. */
        KILLED
    }
}
