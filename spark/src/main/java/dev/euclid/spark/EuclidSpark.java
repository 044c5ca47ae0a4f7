package dev.euclid.spark;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Euclid over Spark Datasets: generation ({@link #generate}) and the solver ({@link #solve}). Each
 * executor JVM opens the model once (on its first task that needs it) and shares that engine among
 * all its tasks, whose rows then batch together in the engine's scheduler; each task keeps a
 * bounded number of rows in flight.
 *
 * <pre>{@code
 * Dataset<Row> answers = EuclidSpark.generate(prompts, GenerateOptions.of("/models/qwen.euclid").withMaxTokens(512));
 * }</pre>
 */
public final class EuclidSpark {
    private EuclidSpark() {
    }

    /**
     * Generates completions: one output row per input row and sample ({@link GenerateOptions#withSamples}).
     * The input needs an id column (long or int, non-null, unique) and a prompt column (string),
     * named by {@link GenerateOptions#withColumns}; the output has every input column, in the
     * input's partitioning and order, followed by {@code sample} (0 to samples - 1), {@code text},
     * {@code token_ids} (array of int, the stop token included when one ended the row),
     * {@code finish_reason} ("stop" or "length"), {@code prompt_tokens}, {@code prefill_ms} and
     * {@code decode_ms}. Lazy, like any transformation: nothing runs before an action.
     *
     * @throws IllegalArgumentException if a column is missing or has the wrong type, or the input
     *     already has an output column
     */
    public static Dataset<Row> generate(Dataset<Row> input, GenerateOptions options) {
        StructType schema = input.schema();
        int idIndex = column(schema, options.idColumn(), "a long or int id");
        requireType(schema, idIndex, DataTypes.LongType, DataTypes.IntegerType);
        int promptIndex = column(schema, options.promptColumn(), "a string prompt");
        requireType(schema, promptIndex, DataTypes.StringType);
        return input.mapPartitions(new GeneratePartition(options, idIndex, promptIndex),
                Encoders.row(OutputColumns.appendTo(schema)));
    }

    /**
     * Solves one problem per row with the solver ({@code dev.euclid.solver}): N samples, tool calls
     * through the executor's code executor when the strategy has them, majority vote. The input
     * needs an id column (string, long or int; unique, non-null: it seeds the problem's samples, so
     * a retried task reproduces them) and a problem column (string), and may name an expected-answer
     * column ({@link SolveOptions#withColumns}). The output has every input column followed by
     * {@code voted_answer} (null when no sample voted), {@code votes} (array of (answer, count), best
     * first), {@code ended}, {@code wall_ms}, {@code tokens}, {@code code_runs},
     * {@code model_idle_fraction} and {@code transcripts} (per sample: sample, finish, answer, voted,
     * tokens, code_runs, text). One solver per executor JVM and configuration, over the shared engine.
     *
     * @throws IllegalArgumentException if a column is missing or has the wrong type, or the input
     *     already has an output column
     */
    public static Dataset<Row> solve(Dataset<Row> input, SolveOptions options) {
        StructType schema = input.schema();
        int idIndex = column(schema, options.idColumn(), "a problem id");
        requireType(schema, idIndex, DataTypes.StringType, DataTypes.LongType, DataTypes.IntegerType);
        int problemIndex = column(schema, options.problemColumn(), "the problem text");
        requireType(schema, problemIndex, DataTypes.StringType);
        int answerIndex = -1;
        if (options.answerColumn() != null) {
            answerIndex = column(schema, options.answerColumn(), "the expected answer");
            requireType(schema, answerIndex, DataTypes.StringType);
        }
        return input.mapPartitions(new SolvePartition(options, idIndex, problemIndex, answerIndex),
                Encoders.row(SolveColumns.appendTo(schema)));
    }

    /**
     * The sampling seed of row {@code id} (SplitMix64 of the pair): a pure function of the options'
     * seed and the row id, so a row gets the same tokens whichever task, attempt or executor runs it.
     */
    public static long rowSeed(long seed, long id) {
        long z = seed + (id + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static void requireType(StructType schema, int index, DataType... allowed) {
        StructField field = schema.fields()[index];
        if (!Arrays.asList(allowed).contains(field.dataType())) {
            throw new IllegalArgumentException("column '" + field.name() + "' must be "
                    + Arrays.stream(allowed).map(DataType::simpleString).collect(Collectors.joining(" or "))
                    + ", is " + field.dataType().simpleString());
        }
    }

    private static int column(StructType schema, String name, String what) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("the input has no column '" + name + "' (" + what + " is needed); it has "
                    + String.join(", ", schema.fieldNames()));
        }
        return schema.fieldIndex(name);
    }
}
