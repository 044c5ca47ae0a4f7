package dev.euclid.spark;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/** One task's rows through its executor's shared engine, one request of {@code samples} samples per row. */
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
    public Iterator<Row> call(Iterator<Row> input) {
        Engine engine = ExecutorEngines.get(options.model(), options.threads());
        return Tasks.run(row -> submit(engine, row), input, options.maxInFlight(), options.failFirstAttemptAfterRows());
    }

    private RowJob submit(Engine engine, Row row) {
        if (row.isNullAt(idIndex)) throw new IllegalArgumentException("a row has a null '" + options.idColumn() + "'");
        long id = ((Number) row.get(idIndex)).longValue();
        if (row.isNullAt(promptIndex)) {
            throw new IllegalArgumentException("row " + id + ": column '" + options.promptColumn() + "' is null");
        }
        RequestHandle handle = engine.submit(Request.builder().prompt(row.getString(promptIndex))
                .maxTokens(options.maxTokens()).samples(options.samples())
                .sampling(options.sampling(EuclidSpark.rowSeed(options.seed(), id)))
                .stopStrings(options.stopStrings().toArray(String[]::new)).build());
        return new RowJob() {
            @Override
            public List<Row> output() throws InterruptedException, ExecutionException {
                List<Completion> samples = handle.result().get().samples();
                List<Row> out = new ArrayList<>(samples.size());
                for (int i = 0; i < samples.size(); i++) out.add(OutputColumns.row(row, i, samples.get(i)));
                return out;
            }

            @Override
            public void cancel() {
                handle.cancel();
            }

            @Override
            public String name() {
                return "row " + id;
            }
        };
    }
}
