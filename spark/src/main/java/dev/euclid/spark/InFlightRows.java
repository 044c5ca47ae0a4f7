package dev.euclid.spark;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.spark.sql.Row;

/**
 * A partition's output rows, in input order (a row's outputs one after another). Up to
 * {@code maxInFlight} rows are submitted ahead of the one being returned, so the engine works on
 * them together (and with other tasks' rows) instead of one at a time; each row's work is its own,
 * so batching never changes its output.
 */
final class InFlightRows implements Iterator<Row> {
    private final Function<Row, RowJob> submit;
    private final Iterator<Row> input;
    private final int maxInFlight;
    private final int failAfter;
    private final ArrayDeque<RowJob> pending = new ArrayDeque<>();
    /** The outputs of the row last taken from {@code pending} not yet returned. */
    private List<Row> current = List.of();
    private int next;
    private int emitted;

    /** @param failAfter test hook: the output row count after which this task throws, or -1 */
    InFlightRows(Function<Row, RowJob> submit, Iterator<Row> input, int maxInFlight, int failAfter) {
        this.submit = submit;
        this.input = input;
        this.maxInFlight = maxInFlight;
        this.failAfter = failAfter;
    }

    @Override
    public boolean hasNext() {
        fill();
        return next < current.size() || !pending.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) throw new NoSuchElementException();
        if (emitted == failAfter) throw new IllegalStateException("injected failure after " + emitted + " rows (test hook)");
        if (next == current.size()) {
            current = await(pending.poll());
            next = 0;
        }
        emitted++;
        return current.get(next++);
    }

    synchronized void cancelAll() {
        pending.forEach(RowJob::cancel);
    }

    private synchronized void fill() {
        while (pending.size() < maxInFlight && input.hasNext()) pending.add(submit.apply(input.next()));
    }

    private static List<Row> await(RowJob job) {
        try {
            return job.output();
        } catch (InterruptedException e) {
            // Spark kills a task by interrupting it; the completion listener cancels what is left.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + job.name() + " was running", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(job.name() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
