package dev.euclid.solver.sandbox;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import dev.euclid.solver.ExecutionResult.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/** The attack battery and the executor's own behaviour, under one isolation (see the subclasses). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SandboxBatteryTest {
    private static final ExecutionLimits LIMITS = new ExecutionLimits(Duration.ofSeconds(20), 2L << 30, 64L << 10);
    private LocalPythonExecutor executor;

    abstract Isolation isolation();

    /** Runs of the leak check: 1,000 under the default isolation; fewer under the other keeps the suite short. */
    abstract int leakRuns();

    @BeforeAll
    void start() {
        IsolationTools.require(isolation());
        executor = LocalPythonExecutor.builder().isolation(isolation()).maxConcurrent(4).build();
    }

    @AfterAll
    void stop() {
        if (executor != null) executor.close();
    }

    @Test
    void everyAttackIsContained() {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertNotNull(System.getenv(SandboxSelfCheck.CANARY_VARIABLE), "surefire sets the canary the secrets attack looks for");
        }
        SandboxSelfCheck.Report report = new SandboxSelfCheck(executor, leakRuns()).run();
        assertEquals(isolation(), report.isolation());
        List<Executable> checks = new ArrayList<>();
        for (SandboxSelfCheck.Attack a : report.attacks()) {
            System.out.printf("%s %-28s %-9s %6.2f s  %s%n", isolation(), a.name(), a.contained() ? "contained" : "ESCAPED",
                    a.seconds(), a.evidence());
            checks.add(() -> assertTrue(a.contained(), a.name() + ": " + a.evidence()));
        }
        assertEquals(13, report.attacks().size());
        assertAll(checks);
    }

    @Test
    void runsCodeWithNumpyAndSympyPreloaded() throws Exception {
        ExecutionResult r = executor.execute(
                "import numpy as np, sympy as sp\nx = sp.symbols('x')\nprint(sp.solve(x**2 - 4, x), int(np.arange(5).sum()))",
                LIMITS).get(60, TimeUnit.SECONDS);
        assertEquals(Status.OK, r.status(), r.stderr());
        assertEquals("[-2, 2] 10", r.stdout().trim());
    }

    @Test
    void tracebackIsTheCodesOwnAndStatusIsError() throws Exception {
        ExecutionResult r = executor.execute("def f():\n    return 1 / 0\nf()", LIMITS).get(60, TimeUnit.SECONDS);
        assertEquals(Status.ERROR, r.status());
        assertTrue(r.stderr().startsWith("Traceback (most recent call last):\n  File \"<code>\", line 3"), r.stderr());
        assertTrue(r.stderr().contains("ZeroDivisionError"), r.stderr());
        assertTrue(!r.stderr().contains("forkserver"), "no frames of the server: " + r.stderr());
    }

    @Test
    void syntaxErrorIsReportedAsError() throws Exception {
        ExecutionResult r = executor.execute("print(", LIMITS).get(60, TimeUnit.SECONDS);
        assertEquals(Status.ERROR, r.status());
        assertTrue(r.stderr().contains("SyntaxError"), r.stderr());
    }

    @Test
    void runsAreConcurrentUpToTheCap() throws Exception {
        // Four runs sleeping 1.5 s on a cap of 4 take about 1.5 s, not 6.
        long start = System.nanoTime();
        List<CompletableFuture<ExecutionResult>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) runs.add(executor.execute("import time\ntime.sleep(1.5)\nprint('done')", LIMITS));
        for (CompletableFuture<ExecutionResult> f : runs) assertEquals(Status.OK, f.get(60, TimeUnit.SECONDS).status());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5.5, "4 concurrent 1.5 s runs took " + seconds + " s");
    }

    @Test
    void closeKillsRunsInFlightAndLeavesNoProcess() throws Exception {
        long before = ProcessHandle.current().descendants().count();
        LocalPythonExecutor own = LocalPythonExecutor.builder().isolation(isolation()).maxConcurrent(1).build();
        CompletableFuture<ExecutionResult> running = own.execute("import time\ntime.sleep(60)", LIMITS);
        CompletableFuture<ExecutionResult> queued = own.execute("print(1)", LIMITS);
        Thread.sleep(500);
        own.close();
        assertEquals(Status.KILLED, running.get(30, TimeUnit.SECONDS).status());
        assertEquals(Status.KILLED, queued.get(30, TimeUnit.SECONDS).status());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.current().descendants().count() > before && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(before, ProcessHandle.current().descendants().count(), "processes left after close()");
        assertThrows(IllegalStateException.class, () -> own.execute("print(1)", LIMITS));
    }
}
