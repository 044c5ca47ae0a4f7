package dev.euclid.solver.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Opening executors from specs, and failing closed. */
class SandboxesTest {
    private static final ExecutionLimits LIMITS = ExecutionLimits.defaults();

    @Test
    void refusesToRunWithoutIsolationUnlessAllowed() throws Exception {
        IsolationUnavailableException e = assertThrows(IsolationUnavailableException.class,
                () -> LocalPythonExecutor.builder().isolation(Isolation.NONE).build());
        assertTrue(e.getMessage().contains("no sandbox is available"), e.getMessage());
        // Allowed explicitly, the same server runs the code with rlimits only.
        try (LocalPythonExecutor unisolated = LocalPythonExecutor.builder().isolation(Isolation.NONE).allowUnisolated().build()) {
            assertEquals(Isolation.NONE, unisolated.isolation());
            ExecutionResult r = unisolated.execute("print(sum(range(10)))", LIMITS).get(60, TimeUnit.SECONDS);
            assertEquals(ExecutionResult.Status.OK, r.status(), r.stderr());
            assertEquals("45\n", r.stdout());
            ExecutionResult loop = unisolated.execute("while True: pass",
                    new ExecutionLimits(java.time.Duration.ofSeconds(1), 1L << 30, 1024)).get(60, TimeUnit.SECONDS);
            assertEquals(ExecutionResult.Status.TIMEOUT, loop.status());
        }
    }

    @Test
    void opensEachKindOfSpec() {
        IsolationTools.require(Isolation.BUBBLEWRAP);
        try (CodeExecutor local = Sandboxes.open("local", LIMITS)) {
            assertEquals(Isolation.BUBBLEWRAP, ((LocalPythonExecutor) local).isolation());
        }
        try (CodeExecutor http = Sandboxes.open("http://127.0.0.1:6000", LIMITS)) {
            assertInstanceOf(HttpSandboxExecutor.class, http);
        }
        assertInstanceOf(HttpSandboxExecutor.class, Sandboxes.open("https://sandbox.example/v1", LIMITS));
    }

    @Test
    void rejectsUnknownSpecsNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sandboxes.open("docker", LIMITS));
        assertTrue(e.getMessage().contains("unknown executor 'docker'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sandboxes.open("", LIMITS));
        assertThrows(IllegalArgumentException.class, () -> Sandboxes.open("http://", LIMITS));
    }
}
