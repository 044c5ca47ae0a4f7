package dev.euclid.solver;

import java.util.List;
import java.util.Collections;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs "code" of a tiny fixed language after a fixed delay, as a sandbox would asynchronously:
 * {@code print(X)} prints X; {@code fail(NAME)} raises, with a Python-style traceback naming NAME.
 */
final class ScriptedExecutor implements CodeExecutor {
    private final long millis;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    final List<String> ran = Collections.synchronizedList(new ArrayList<>());

    ScriptedExecutor(long millis) {
        this.millis = millis;
    }

    @Override
    public CompletableFuture<ExecutionResult> execute(String code, ExecutionLimits limits) {
        ran.add(code);
        CompletableFuture<ExecutionResult> out = new CompletableFuture<>();
        timer.schedule(() -> out.complete(run(code.strip())), millis, TimeUnit.MILLISECONDS);
        return out;
    }

    private ExecutionResult run(String code) {
        double seconds = millis / 1000.0;
        if (code.startsWith("print(") && code.endsWith(")")) {
            return new ExecutionResult(ExecutionResult.Status.OK, code.substring(6, code.length() - 1) + "\n", "", seconds);
        }
        if (code.startsWith("fail(") && code.endsWith(")")) {
            String name = code.substring(5, code.length() - 1);
            return new ExecutionResult(ExecutionResult.Status.ERROR, "", "Traceback (most recent call last):\n"
                    + "  File \"<string>\", line 1, in <module>\nNameError: name '" + name + "' is not defined\n", seconds);
        }
        return new ExecutionResult(ExecutionResult.Status.ERROR, "", "SyntaxError: invalid syntax\n", seconds);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
