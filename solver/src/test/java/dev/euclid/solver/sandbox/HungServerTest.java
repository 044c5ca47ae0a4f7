package dev.euclid.solver.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import dev.euclid.solver.ExecutionResult.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server that stops answering (here: SIGSTOP) is replaced once a run is GRACE_SECONDS past its wall limit. */
class HungServerTest {
    private static final ExecutionLimits ONE_SECOND = new ExecutionLimits(Duration.ofSeconds(1), 1L << 30, 4096);

    @Test
    void aStoppedServerIsReplacedAndItsRunTimesOut() throws Exception {
        IsolationTools.require(Isolation.BUBBLEWRAP);
        try (LocalPythonExecutor executor = LocalPythonExecutor.builder().isolation(Isolation.BUBBLEWRAP).build()) {
            assertEquals(Status.OK, executor.execute("print(1)", ONE_SECOND).get(60, TimeUnit.SECONDS).status());
            long server = SandboxSelfCheck.forkServer(executor).pid();
            Process stop = new ProcessBuilder("kill", "-STOP", String.valueOf(server)).start();
            assertEquals(0, stop.waitFor());
            long start = System.nanoTime();
            ExecutionResult hung = executor.execute("print(2)", ONE_SECOND).get(120, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(Status.TIMEOUT, hung.status(), hung.toString());
            assertTrue(hung.stderr().contains("stopped answering"), hung.stderr());
            assertTrue(seconds >= 1 + LocalPythonExecutor.GRACE_SECONDS - 0.5, "replaced after " + seconds + " s");
            ExecutionResult after = executor.execute("print(6 * 7)", ONE_SECOND).get(120, TimeUnit.SECONDS);
            assertEquals("42\n", after.stdout(), after.toString());
            assertEquals(1, executor.restarts());
            assertTrue(ProcessHandle.of(server).map(p -> !p.isAlive()).orElse(true), "the stopped server was killed");
        }
    }
}
