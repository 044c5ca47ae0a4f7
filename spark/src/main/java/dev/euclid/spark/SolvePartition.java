package dev.euclid.spark;

import dev.euclid.solver.Problem;
import dev.euclid.solver.Solution;
import dev.euclid.solver.Solver;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/** One task's problems through its executor's shared solver, a few at a time. */
final class SolvePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final SolveOptions options;
    private final int idIndex;
    private final int problemIndex;
    /** -1 when the input has no expected answers. */
    private final int answerIndex;

    SolvePartition(SolveOptions options, int idIndex, int problemIndex, int answerIndex) {
        this.options = options;
        this.idIndex = idIndex;
        this.problemIndex = problemIndex;
        this.answerIndex = answerIndex;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Solver solver = ExecutorSolvers.get(options);
        return Tasks.run(row -> submit(solver, row), input, options.maxInFlight(), options.failFirstAttemptAfterRows());
    }

    private RowJob submit(Solver solver, Row row) {
        if (row.isNullAt(idIndex)) throw new IllegalArgumentException("a row has a null '" + options.idColumn() + "'");
        String id = String.valueOf(row.get(idIndex));
        String text = row.isNullAt(problemIndex) ? null : row.getString(problemIndex);
        String answer = answerIndex < 0 || row.isNullAt(answerIndex) ? null : row.getString(answerIndex);
        CompletableFuture<Solution> solution = solver.solve(new Problem(id, text, answer), options.problemBudget());
        return new RowJob() {
            @Override
            public List<Row> output() throws InterruptedException, ExecutionException {
                return List.of(SolveColumns.row(row, solution.get()));
            }

            @Override
            public void cancel() {
                // A problem run cannot be stopped from outside; its time budget bounds what it costs.
            }

            @Override
            public String name() {
                return "problem " + id;
            }
        };
    }
}
