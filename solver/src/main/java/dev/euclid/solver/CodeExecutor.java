package dev.euclid.solver;

import java.util.concurrent.CompletableFuture;

/**
 * Runs model-written code. Model output is hostile: an implementation either isolates the code
 * (no network, no writes outside its own temp dir, no view of the parent's environment, bounded
 * time and memory) or refuses to run it. Runs are independent; {@code execute} never blocks the
 * caller, so the engine keeps decoding other samples while one waits for its tool output.
 */
public interface CodeExecutor extends AutoCloseable {
    /** Runs {@code code} (Python source) within {@code limits}; the future never completes exceptionally for code faults. */
    CompletableFuture<ExecutionResult> execute(String code, ExecutionLimits limits);

    /** Stops every run in flight and releases the executor's processes and files. */
    @Override
    void close();
}
