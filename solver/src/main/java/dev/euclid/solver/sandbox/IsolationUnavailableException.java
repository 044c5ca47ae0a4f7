package dev.euclid.solver.sandbox;

/** The sandbox cannot isolate model-written code on this machine, so it refuses to run any. */
public final class IsolationUnavailableException extends IllegalStateException {
    public IsolationUnavailableException(String message) {
        super(message);
    }
}
