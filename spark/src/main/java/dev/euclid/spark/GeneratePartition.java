package dev.euclid.spark;

import dev.euclid.Engine;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/** One task's rows through its executor's shared engine (see {@link InFlightRows}). */
final class GeneratePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final GenerateOptions options;
    private final int idIndex;
    private final int promptIndex;

    GeneratePartition(GenerateOptions options, int idIndex, int promptIndex) {
        this.options = options;
        this.idIndex = idIndex;
        this.promptIndex = promptIndex;
    }

    @Override
    public java.util.Iterator<Row> call(java.util.Iterator<Row> input) {
        Engine engine = ExecutorEngines.get(options);
        TaskContext task = TaskContext.get();
        InFlightRows rows = new InFlightRows(engine, options, idIndex, promptIndex, input, failsAfter(task));
        // A failed or killed task must not leave its requests running in the shared engine.
        task.addTaskCompletionListener((TaskCompletionListener) done -> rows.cancelAll());
        return rows;
    }

    /** The row count after which this task throws (the test hook), or -1. */
    private int failsAfter(TaskContext task) {
        return task.attemptNumber() == 0 && task.partitionId() == 0 ? options.failFirstAttemptAfterRows() : -1;
    }
}
