package dev.euclid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.solver.ScriptedModel.Line;
import dev.euclid.solver.SampleTranscript.Finish;
import dev.euclid.solver.answer.VoteTable;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The solver loop against a scripted model and a scripted executor: what runs, what votes, when it stops. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SolverControlFlowTest {
    private static final Problem PROBLEM = new Problem("p1", "What is 3 + 4?", "7");

    private static Solution solve(ScriptedModel.Script script, SolverConfig config, Duration budget) {
        try (ScriptedModel model = new ScriptedModel(script);
             ScriptedExecutor python = new ScriptedExecutor(5);
             Solver solver = new Solver(model, python, config)) {
            return solver.solve(PROBLEM, budget).join();
        }
    }

    @Test
    void aSampleRunsItsCodeAtMostDepthTimesThenStopsAtTheDepthLimit() {
        ScriptedModel model = new ScriptedModel((sample, turn) -> Line.code("step " + turn + "\n", "print(" + turn + ")", 1));
        try (model; ScriptedExecutor python = new ScriptedExecutor(1);
             Solver solver = new Solver(model, python, SolverConfig.scTir().withSamples(1).withDepth(2))) {
            Solution s = solver.solve(PROBLEM).join();
            SampleTranscript t = s.samples().get(0);
            assertEquals(Finish.DEPTH_LIMIT, t.finish());
            assertEquals(2, t.codeRuns());
            assertEquals(List.of("print(0)\n", "print(1)\n"), python.ran);
            assertEquals(3, model.calls.size(), "the first turn and two continuations");
            assertEquals(3, t.steps().size());
            assertEquals("print(2)\n", t.steps().get(2).code(), "the call past the depth is recorded, not run");
            assertNull(s.answer());
        }
    }

    @Test
    void aTracebackIsFedBackAsTheOutputBlockAndTheFixedCodeRuns() {
        ScriptedModel model = new ScriptedModel((sample, turn) -> switch (turn) {
            case 0 -> Line.code("Let me compute.\n", "fail(x)", 1);
            case 1 -> Line.code("Oops, define x.\n", "print(7)", 1);
            default -> Line.answer("So the answer is $\\boxed{7}$.", 1);
        });
        try (model; ScriptedExecutor python = new ScriptedExecutor(1);
             Solver solver = new Solver(model, python, SolverConfig.scTir().withSamples(1))) {
            Solution s = solver.solve(PROBLEM).join();
            String fedBack = model.calls.get(1).appended();
            assertTrue(fedBack.startsWith("```output\nTraceback (most recent call last):"), fedBack);
            assertTrue(fedBack.contains("NameError: name 'x' is not defined\n```\n"), fedBack);
            assertEquals("```output\n7\n```\n", model.calls.get(2).appended());
            SampleTranscript t = s.samples().get(0);
            assertEquals(Finish.END_OF_TEXT, t.finish());
            assertEquals(ExecutionResult.Status.ERROR, t.steps().get(0).result().status());
            assertEquals(ExecutionResult.Status.OK, t.steps().get(1).result().status());
            assertEquals("7", s.answer(), "the last run succeeded, so the sample votes");
            assertTrue(t.voted());
        }
    }

    @Test
    void samplesWhoseLastRunFailedOrThatGiveNoAnswerDoNotVote() {
        Solution s = solve((sample, turn) -> switch (sample) {
            case 0 -> turn == 0 ? Line.code("", "fail(y)", 1) : Line.answer("I give up: \\boxed{100}", 1);
            case 1 -> Line.answer("No idea.", 1);
            default -> Line.answer("\\boxed{7}", 1);
        }, SolverConfig.scTir().withSamples(3).withEarlyStop(false), null);
        assertEquals(Finish.CODE_FAILED, s.samples().get(0).finish());
        assertEquals("100", s.samples().get(0).answer(), "extracted, but pruned");
        assertFalse(s.samples().get(0).voted());
        assertNull(s.samples().get(1).answer());
        assertFalse(s.samples().get(1).voted());
        assertEquals(List.of(new VoteTable.Entry("7", 1, 1.0)), s.votes());
        assertEquals("7", s.answer());
        assertEquals(Solution.Ended.ALL_FINISHED, s.ended());
    }

    @Test
    void withoutPruningAFailedLastRunStillVotes() {
        Solution s = solve((sample, turn) -> turn == 0 ? Line.code("", "fail(y)", 1) : Line.answer("\\boxed{100}", 1),
                SolverConfig.scTir().withSamples(1).withPruneFailedCode(false), null);
        assertEquals("100", s.answer());
    }

    @Test
    void earlyStopOnceTheLeaderCannotBeOvertakenAndNotBefore() {
        // 5 fast votes for 7, 3 slow samples: 5 > 0 + 3, decided without them
        Solution s = solve((sample, turn) -> sample < 5 ? Line.answer("\\boxed{7}", 5 + sample)
                : Line.answer("\\boxed{8}", 20_000), SolverConfig.scTir().withSamples(8), null);
        assertEquals(Solution.Ended.DECIDED, s.ended());
        assertEquals("7", s.answer());
        assertEquals(List.of(new VoteTable.Entry("7", 5, 5.0)), s.votes());
        for (int i = 5; i < 8; i++) assertEquals(Finish.STOPPED, s.samples().get(i).finish());
        assertTrue(s.wall().toMillis() < 10_000, "stopped, not waited for: " + s.wall());

        // 4 for 7, 1 for 3, 3 outstanding: 4 = 1 + 3 is a possible tie: one slow sample must finish first
        Solution t = solve((sample, turn) -> switch (sample) {
            case 0, 1, 2, 3 -> Line.answer("\\boxed{7}", 5 + sample);
            case 4 -> Line.answer("\\boxed{3}", 10);
            case 5 -> Line.answer("\\boxed{7}", 300);
            default -> Line.answer("\\boxed{3}", 20_000);
        }, SolverConfig.scTir().withSamples(8), null);
        assertEquals(Solution.Ended.DECIDED, t.ended());
        assertEquals(Finish.END_OF_TEXT, t.samples().get(5).finish(), "the sample that decided it");
        assertEquals(List.of(new VoteTable.Entry("7", 5, 5.0), new VoteTable.Entry("3", 1, 1.0)), t.votes());
        assertEquals(Finish.STOPPED, t.samples().get(6).finish());
    }

    @Test
    void nemoSkillsEndsOnceKSamplesHaveFinished() {
        Solution s = solve((sample, turn) -> Line.answer("\\boxed{" + sample + "}", sample < 4 ? 5 : 20_000),
                SolverConfig.nemoSkills().withSamples(6).withFinishAfter(4), null);
        assertEquals(Solution.Ended.ENOUGH_FINISHED, s.ended());
        assertEquals(4, s.samples().stream().filter(SampleTranscript::voted).count());
        assertEquals("0", s.answer(), "four one-vote ties: the smallest answer wins, whatever order they came in");
    }

    @Test
    void theTimeBudgetStopsEverySampleAndTheFinishedOnesVote() {
        Solution s = solve((sample, turn) -> sample == 0 ? Line.answer("\\boxed{42}", 5) : Line.answer("\\boxed{1}", 20_000),
                SolverConfig.scTir().withSamples(4).withEarlyStop(false), Duration.ofMillis(300));
        assertEquals(Solution.Ended.TIME_BUDGET, s.ended());
        assertEquals("42", s.answer());
        assertEquals(3, s.samples().stream().filter(t -> t.finish() == Finish.STOPPED).count());
    }

    @Test
    void aSampleWaitingForItsCodeIsStoppedWithTheRest() {
        ScriptedModel model = new ScriptedModel((sample, turn) -> sample == 0 ? Line.code("", "print(1)", 1)
                : Line.answer("\\boxed{5}", 5));
        try (model; ScriptedExecutor slowPython = new ScriptedExecutor(20_000);
             Solver solver = new Solver(model, slowPython, SolverConfig.scTir().withSamples(4))) {
            Solution s = solver.solve(PROBLEM).join();
            assertEquals(Solution.Ended.DECIDED, s.ended());
            SampleTranscript waiting = s.samples().get(0);
            assertEquals(Finish.STOPPED, waiting.finish());
            assertEquals("print(1)\n", waiting.steps().get(0).code());
            assertNull(waiting.steps().get(0).result());
        }
    }

    @Test
    void closingTheSolverStopsTheSamplesAndFailsTheProblemsStillRunning() {
        ScriptedModel model = new ScriptedModel((sample, turn) -> Line.answer("\\boxed{1}", 20_000));
        try (model; ScriptedExecutor python = new ScriptedExecutor(1)) {
            Solver solver = new Solver(model, python, SolverConfig.scTir().withSamples(3));
            java.util.concurrent.CompletableFuture<Solution> running = solver.solve(PROBLEM, Duration.ofHours(1));
            long t0 = System.nanoTime();
            solver.close();
            java.util.concurrent.CompletionException e =
                    org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class, running::join);
            assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("closed"), e.toString());
            assertEquals(3, model.stopped, "every sample's turn was stopped");
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "close waits neither for the turns nor for the hour's budget");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> solver.solve(PROBLEM));
        }
    }

    @Test
    void seedsDependOnTheProblemSampleAndTurnOnly() {
        ScriptedModel.Script script = (sample, turn) -> turn < 2 ? Line.code("", "print(1)", 1) : Line.answer("\\boxed{1}", 1);
        List<ScriptedModel.Call> first, again, other;
        SolverConfig config = SolverConfig.scTir().withSamples(3).withEarlyStop(false).withSeed(11);
        try (ScriptedModel a = new ScriptedModel(script); ScriptedModel b = new ScriptedModel(script);
             ScriptedModel c = new ScriptedModel(script); ScriptedExecutor python = new ScriptedExecutor(1)) {
            try (Solver s = new Solver(a, python, config)) {
                s.solve(PROBLEM).join();
            }
            try (Solver s = new Solver(b, python, config)) {
                s.solve(PROBLEM).join();
            }
            try (Solver s = new Solver(c, python, config)) {
                s.solve(new Problem("p2", PROBLEM.text(), null)).join();
            }
            first = sorted(a.calls);
            again = sorted(b.calls);
            other = sorted(c.calls);
        }
        assertEquals(first, again);
        assertEquals(9, first.size());
        assertEquals(first.get(0).seed() + 1, first.get(3).seed(), "first turns: seed + sample");
        assertEquals(9, first.stream().map(ScriptedModel.Call::seed).distinct().count());
        assertNotEquals(first.get(0).seed(), other.get(0).seed());
    }

    private static List<ScriptedModel.Call> sorted(List<ScriptedModel.Call> calls) {
        return calls.stream().sorted(java.util.Comparator.comparingInt(ScriptedModel.Call::sample)
                .thenComparingInt(ScriptedModel.Call::turn)).toList();
    }

    @Test
    void codeRunsWhileOtherSamplesGenerateSoTheModelIsRarelyIdle() {
        // Every sample: 3 turns of 60 ms with 2 code runs of 40 ms between; staggered starts keep some sample generating.
        ScriptedModel model = new ScriptedModel((sample, turn) -> turn < 2
                ? Line.code("", "print(" + sample + ")", 60 + 7L * sample) : Line.answer("\\boxed{" + sample % 2 + "}", 60));
        try (model; ScriptedExecutor python = new ScriptedExecutor(40);
             Solver solver = new Solver(model, python, SolverConfig.scTir().withSamples(8).withEarlyStop(false))) {
            Solution s = solver.solve(PROBLEM).join();
            assertEquals(16, s.codeRuns());
            assertTrue(s.modelIdleFraction() < 0.25, "idle " + s.modelIdleFraction());
            assertTrue(s.wall().toMillis() < 8 * (3 * 60 + 2 * 40), "samples overlap: " + s.wall());
        }
    }
}
