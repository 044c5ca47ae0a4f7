package dev.euclid.spark;

import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows per second through {@link EuclidSpark#generate} on local[2] against a plain in-process loop
 * over the same rows (engine.generate one row after another), and against the same rows submitted
 * in-process with the same in-flight window, to tell Spark's own cost from the batching it brings.
 * Each side runs once to warm up (Spark's start, the engine's open, the JIT), then once timed.
 * Not a test: {@code java ... dev.euclid.spark.SparkOverheadBench MODEL ROWS MAX_TOKENS} (see
 * bench/results/2026-12-06-spark.md for the full command).
 */
public final class SparkOverheadBench {
    private SparkOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int rows = Integer.parseInt(args[1]);
        int maxTokens = Integer.parseInt(args[2]);
        int inFlight = 64;
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < rows; i++) prompts.add("Once upon a time, in story " + i + ",");
        long tokens;
        double loop;
        double windowed;
        try (Engine engine = Engine.open(Path.of(model))) {
            plainLoop(engine, prompts, maxTokens);
            long t0 = System.nanoTime();
            tokens = plainLoop(engine, prompts, maxTokens);
            loop = rows / seconds(t0);
            windowedInProcess(engine, prompts, maxTokens, inFlight);
            t0 = System.nanoTime();
            windowedInProcess(engine, prompts, maxTokens, inFlight);
            windowed = rows / seconds(t0);
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("euclid-spark-bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        double sparkRate;
        long sparkTokens = 0;
        try {
            StructType schema = new StructType().add("id", DataTypes.LongType, false).add("prompt", DataTypes.StringType, false);
            List<Row> input = new ArrayList<>();
            for (int i = 0; i < rows; i++) input.add(RowFactory.create((long) i, prompts.get(i)));
            Dataset<Row> data = spark.createDataFrame(input, schema).repartition(2).cache();
            data.count();
            GenerateOptions options = GenerateOptions.of(model).withMaxTokens(maxTokens).withMaxInFlight(inFlight);
            EuclidSpark.generate(data, options).collectAsList();
            long t0 = System.nanoTime();
            List<Row> out = EuclidSpark.generate(data, options).collectAsList();
            sparkRate = rows / seconds(t0);
            for (Row r : out) sparkTokens += r.getList(r.fieldIndex("token_ids")).size();
        } finally {
            spark.stop();
        }
        if (sparkTokens != tokens) throw new IllegalStateException("Spark generated " + sparkTokens + " tokens, the loop " + tokens);
        System.out.printf(Locale.ROOT, "rows=%d max_tokens=%d generated_tokens=%d%n", rows, maxTokens, tokens);
        System.out.printf(Locale.ROOT, "plain_loop_rows_per_s=%.1f%n", loop);
        System.out.printf(Locale.ROOT, "in_process_window%d_rows_per_s=%.1f%n", inFlight, windowed);
        System.out.printf(Locale.ROOT, "spark_local2_rows_per_s=%.1f%n", sparkRate);
        System.out.printf(Locale.ROOT, "spark_over_plain_loop=%.2f%n", sparkRate / loop);
        System.out.printf(Locale.ROOT, "spark_over_in_process_window=%.2f%n", sparkRate / windowed);
    }

    private static long plainLoop(Engine engine, List<String> prompts, int maxTokens) {
        long tokens = 0;
        for (String p : prompts) tokens += engine.generate(Request.builder().prompt(p).maxTokens(maxTokens).build()).tokenIds().length;
        return tokens;
    }

    private static void windowedInProcess(Engine engine, List<String> prompts, int maxTokens, int inFlight) throws Exception {
        List<RequestHandle> window = new ArrayList<>();
        for (String p : prompts) {
            if (window.size() == inFlight) window.remove(0).result().get();
            window.add(engine.submit(Request.builder().prompt(p).maxTokens(maxTokens).build()));
        }
        for (RequestHandle h : window) h.result().get();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
