package dev.euclid.spark;

import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.spark.sql.Row;

/** One input row's work, submitted to the executor's engine: the output rows it gives, once done. */
interface RowJob {
    /** Blocks until the work is done (interruptibly: Spark kills a task by interrupting it). */
    List<Row> output() throws InterruptedException, ExecutionException;

    /** Stops the work, if it can be stopped, when the task ends before taking its output. */
    void cancel();

    /** How errors name this row. */
    String name();
}
