package dev.euclid.solver.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.solver.Problem;
import dev.euclid.solver.Solution;
import dev.euclid.solver.Solver;
import dev.euclid.solver.answer.AnswerNormalizer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Solves a problem set one problem at a time into a {@link ResultsFile}. Ids already in the file
 * are skipped, so a killed run started again with the same command finishes the rest; because
 * every sample is seeded from the run's seed, the problem's id and the sample (never from what ran
 * before), the rest come out as they would have. A finished run started again changes nothing.
 */
public final class DatasetRun {
    private final Solver solver;
    private final AnswerNormalizer normalizer;

    public DatasetRun(Solver solver) {
        this.solver = Objects.requireNonNull(solver, "solver");
        this.normalizer = new AnswerNormalizer(solver.config().answers());
    }

    /**
     * Runs every problem of {@code problems} not yet in {@code out}.
     *
     * @param budget the whole run's budget (re-planned before each problem), or null for none
     * @param progress told after each problem (and once at the start)
     */
    public void run(List<Problem> problems, ResultsFile out, RunBudget budget, Consumer<RunProgress> progress) throws IOException {
        long start = System.nanoTime();
        int done = 0, correct = 0, graded = 0;
        long tokens = 0;
        Duration resumed = Duration.ZERO;
        for (Problem p : problems) {
            JsonNode row = out.rows().get(p.id());
            if (row == null) continue;
            done++;
            if (row.hasNonNull("correct")) {
                graded++;
                if (row.get("correct").asBoolean()) correct++;
            }
            resumed = resumed.plusNanos((long) (row.path("seconds").asDouble() * 1e9));
        }
        if (budget != null) budget.alreadySpent(resumed, done);
        progress.accept(new RunProgress(done, problems.size(), correct, graded, 0, Duration.ZERO, budget == null ? null : budget.left()));
        for (Problem p : problems) {
            if (out.rows().containsKey(p.id())) continue;
            Duration b = budget == null ? null : budget.next();
            if (b != null && b.isZero()) {
                out.append(ResultRows.unanswered(p, "no_time_left", null));
            } else {
                long t0 = System.nanoTime();
                Solution s;
                try {
                    s = solver.solve(p, b).join();
                } catch (CompletionException e) {
                    // One problem the model cannot run (e.g. longer than its context) must not end a
                    // nine-hour run: its row says why; delete the row to retry it.
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    s = null;
                    out.append(ResultRows.unanswered(p, "error", cause.getMessage()));
                }
                if (budget != null) budget.finished(Duration.ofNanos(System.nanoTime() - t0));
                if (s != null) {
                    tokens += s.tokens();
                    out.append(ResultRows.row(p, s, b, normalizer));
                }
            }
            done++;
            Boolean ok = ResultRows.correct(p, out.rows().get(p.id()).path("answer").textValue(), normalizer);
            if (ok != null) {
                graded++;
                if (ok) correct++;
            }
            progress.accept(new RunProgress(done, problems.size(), correct, graded, tokens,
                    Duration.ofNanos(System.nanoTime() - start), budget == null ? null : budget.left()));
        }
    }
}
