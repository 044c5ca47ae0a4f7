package dev.euclid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.solver.ScriptedModel.Line;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop with real Python: the model sees Python's own traceback, fixes its code and answers from its output. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RealPythonToolCallsTest {
    @Test
    void pythonsTracebackIsFedBackAndTheFixedCodesOutputAnswers() {
        ScriptedModel model = new ScriptedModel((sample, turn) -> switch (turn) {
            case 0 -> Line.code("Sum 1..100 over a zero count first.\n", "total = sum(range(101))\nprint(total / 0)", 1);
            case 1 -> Line.code("Division by zero; print the sum itself.\n", "print(sum(range(101)))", 1);
            default -> Line.answer("The sum is $\\boxed{5050}$, which mod 1000 is 50.", 1);
        });
        try (model; PythonSubprocess python = new PythonSubprocess();
             Solver solver = new Solver(model, python, SolverConfig.scTir().withSamples(2).withEarlyStop(false))) {
            Solution s = solver.solve(new Problem("sum", "Sum 1 to 100, mod 1000.", "50")).join();
            SampleTranscript t = s.samples().get(0);
            assertEquals(ExecutionResult.Status.ERROR, t.steps().get(0).result().status());
            String traceback = t.steps().get(0).appended();
            assertTrue(traceback.startsWith("```output\nTraceback (most recent call last):"), traceback);
            assertTrue(traceback.contains("ZeroDivisionError: division by zero\n```\n"), traceback);
            assertEquals("```output\n5050\n```\n", t.steps().get(1).appended());
            assertEquals("50", s.answer(), "5050 mod 1000");
            assertEquals(Solution.Ended.ALL_FINISHED, s.ended());
        }
    }
}
