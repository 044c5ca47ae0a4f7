package dev.euclid.spark;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import org.apache.spark.sql.Row;

/**
 * A partition's output rows, in input order (a row's samples one after another). Up to {@code maxInFlight} rows are submitted ahead
 * of the one being returned, so the engine decodes them together (and with other tasks' rows)
 * instead of one at a time; each row's request is its own, so batching never changes its tokens.
 */
final class InFlightRows implements Iterator<Row> {
    private record Pending(Row row, long id, RequestHandle handle) {}

    private final Engine engine;
    private final GenerateOptions options;
    private final int idIndex;
    private final int promptIndex;
    private final Iterator<Row> input;
    private final int failAfter;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** The samples of the row last taken from {@code pending} not yet returned. */
    private Row current;
    private List<Completion> currentSamples = List.of();
    private int nextSample;
    private int emitted;

    InFlightRows(Engine engine, GenerateOptions options, int idIndex, int promptIndex, Iterator<Row> input, int failAfter) {
        this.engine = engine;
        this.options = options;
        this.idIndex = idIndex;
        this.promptIndex = promptIndex;
        this.input = input;
        this.failAfter = failAfter;
    }

    @Override
    public boolean hasNext() {
        fill();
        return nextSample < currentSamples.size() || !pending.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) throw new NoSuchElementException();
        if (emitted == failAfter) throw new IllegalStateException("injected failure after " + emitted + " rows (test hook)");
        if (nextSample == currentSamples.size()) {
            Pending p = pending.poll();
            current = p.row();
            currentSamples = await(p);
            nextSample = 0;
        }
        emitted++;
        int sample = nextSample++;
        return OutputColumns.row(current, sample, currentSamples.get(sample));
    }

    synchronized void cancelAll() {
        pending.forEach(p -> p.handle().cancel());
    }

    private synchronized void fill() {
        while (pending.size() < options.maxInFlight() && input.hasNext()) {
            Row row = input.next();
            long id = id(row);
            pending.add(new Pending(row, id, engine.submit(request(row, id))));
        }
    }

    private Request request(Row row, long id) {
        if (row.isNullAt(promptIndex)) {
            throw new IllegalArgumentException("row " + id + ": column '" + options.promptColumn() + "' is null");
        }
        return Request.builder().prompt(row.getString(promptIndex)).maxTokens(options.maxTokens()).samples(options.samples())
                .sampling(options.sampling(EuclidSpark.rowSeed(options.seed(), id)))
                .stopStrings(options.stopStrings().toArray(String[]::new)).build();
    }

    private long id(Row row) {
        if (row.isNullAt(idIndex)) throw new IllegalArgumentException("a row has a null '" + options.idColumn() + "'");
        return ((Number) row.get(idIndex)).longValue();
    }

    private static List<Completion> await(Pending p) {
        try {
            return p.handle().result().get().samples();
        } catch (InterruptedException e) {
            // Spark kills a task by interrupting it; the completion listener cancels what is left.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while row " + p.id() + " was generating", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("row " + p.id() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
