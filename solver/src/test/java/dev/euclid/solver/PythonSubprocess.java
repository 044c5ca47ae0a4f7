package dev.euclid.solver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * TEST ONLY, NOT A SANDBOX: runs code with {@code python3 -I} in a plain subprocess, for tests
 * whose code the test itself wrote (real tracebacks and outputs, no isolation).
 */
final class PythonSubprocess implements CodeExecutor {
    @Override
    public CompletableFuture<ExecutionResult> execute(String code, ExecutionLimits limits) {
        return CompletableFuture.supplyAsync(() -> run(code, limits));
    }

    private static ExecutionResult run(String code, ExecutionLimits limits) {
        long t0 = System.nanoTime();
        try {
            Process p = new ProcessBuilder("python3", "-I", "-c", code).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            boolean exited = p.waitFor(limits.wallTime().toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) p.destroyForcibly().waitFor();
            double seconds = (System.nanoTime() - t0) / 1e9;
            ExecutionResult.Status status = !exited ? ExecutionResult.Status.TIMEOUT
                    : p.exitValue() == 0 ? ExecutionResult.Status.OK : ExecutionResult.Status.ERROR;
            return new ExecutionResult(status, out.join(), err.join(), seconds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {}
}
