package dev.euclid.spark;

import java.util.Iterator;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/** What every Euclid task does around its rows. */
final class Tasks {
    private Tasks() {
    }

    /**
     * The task's output: its rows through {@code submit}, {@code maxInFlight} at a time; the work
     * still pending when the task ends (failed or killed) is cancelled, so it does not go on in the
     * shared engine for nobody.
     *
     * @param failFirstAttemptAfter test hook: the first attempt of partition 0 fails after this many rows (-1 = never)
     */
    static Iterator<Row> run(Function<Row, RowJob> submit, Iterator<Row> input, int maxInFlight, int failFirstAttemptAfter) {
        TaskContext task = TaskContext.get();
        int failAfter = task.attemptNumber() == 0 && task.partitionId() == 0 ? failFirstAttemptAfter : -1;
        InFlightRows rows = new InFlightRows(submit, input, maxInFlight, failAfter);
        task.addTaskCompletionListener((TaskCompletionListener) done -> rows.cancelAll());
        return rows;
    }
}
