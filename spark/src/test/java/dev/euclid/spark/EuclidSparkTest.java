package dev.euclid.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.solver.Problem;
import dev.euclid.solver.SampleTranscript;
import dev.euclid.solver.Solution;
import dev.euclid.solver.Solver;
import dev.euclid.solver.Strategy;
import dev.euclid.solver.model.EngineBackend;
import dev.euclid.testing.SharedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkException;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One class, one local Spark (two task threads, a task may fail once and be retried): a Spark JVM is slow to start. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EuclidSparkTest {
    private static final String[] NAMES = {"Tim", "Lily", "Sam", "Anna", "Ben", "Sue", "Max", "Mia", "Tom", "Zoe"};
    private static final String[] OPENINGS = {"Once upon a time, %s", "%s went to the park", "One day %s saw a",
        "%s and the big red ball", "%s was sad because", "In a small house, %s", "%s liked to play with",
        "The sun was hot and %s", "%s found a little box", "At night %s"};
    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false).add("prompt", DataTypes.StringType, true);

    private static SparkSession spark;
    private static Engine engine;
    private static String model;
    private static final AtomicInteger failedTasks = new AtomicInteger();

    @BeforeAll
    static void start() {
        model = SharedModels.models().resolve("stories260K/stories260K.bin").toString();
        engine = Engine.open(Path.of(model));
        spark = SparkSession.builder().master("local[2,2]").appName("euclid-spark-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() != Success$.MODULE$) failedTasks.incrementAndGet();
            }
        });
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
        if (engine != null) engine.close();
    }

    private static Dataset<Row> prompts(int count, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(RowFactory.create((long) i, String.format(OPENINGS[i % 10], NAMES[(i / 10) % 10])));
        }
        return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
    }

    private static Map<Long, Row> byId(List<Row> rows) {
        Map<Long, Row> out = new HashMap<>();
        for (Row r : rows) {
            Row previous = out.put(r.getLong(r.fieldIndex("id")), r);
            assertTrue(previous == null, "row " + r.getLong(0) + " came out twice");
        }
        return out;
    }

    private static void assertSameAsInProcess(Row row, Request.Builder request) {
        Completion expected = engine.generate(request.prompt(row.getString(row.fieldIndex("prompt"))).build());
        List<Integer> tokens = row.getList(row.fieldIndex("token_ids"));
        assertArrayEquals(expected.tokenIds(), tokens.stream().mapToInt(Integer::intValue).toArray(), "row " + row.getLong(0));
        assertEquals(expected.text(), row.getString(row.fieldIndex("text")));
        assertEquals(expected.finishReason().wireName(), row.getString(row.fieldIndex("finish_reason")));
        assertEquals(expected.promptTokenIds().length, row.getInt(row.fieldIndex("prompt_tokens")));
        assertTrue(row.getDouble(row.fieldIndex("prefill_ms")) > 0, "prefill time");
    }

    @Test
    void twoHundredRowsGiveTheInProcessTokens() {
        Dataset<Row> out = EuclidSpark.generate(prompts(200, 4), GenerateOptions.of(model).withMaxTokens(24).withMaxInFlight(16));
        assertEquals(List.of("id", "prompt", "sample", "text", "token_ids", "finish_reason", "prompt_tokens", "prefill_ms", "decode_ms"),
                List.of(out.schema().fieldNames()));
        Map<Long, Row> rows = byId(out.collectAsList());
        assertEquals(200, rows.size());
        for (Row row : rows.values()) assertSameAsInProcess(row, Request.builder().maxTokens(24));
    }

    @Test
    void taskKilledMidPartitionIsRetriedAndEveryRowComesOutOnce() throws Exception {
        int failedBefore = failedTasks.get();
        GenerateOptions options = GenerateOptions.of(model).withMaxTokens(20).withMaxInFlight(4)
                .withSampling(0.8f, 0.95f, 0, 42).withInjectedFailure(5);
        Map<Long, Row> rows = byId(EuclidSpark.generate(prompts(40, 2), options).collectAsList());
        assertEquals(40, rows.size());
        for (Row row : rows.values()) {
            long seed = EuclidSpark.rowSeed(42, row.getLong(0));
            assertSameAsInProcess(row, Request.builder().maxTokens(20)
                    .sampling(Sampling.builder().temperature(0.8f).topP(0.95f).seed(seed).build()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // listener events arrive asynchronously
        while (failedTasks.get() == failedBefore && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(failedBefore + 1, failedTasks.get(), "the first attempt of partition 0 failed once");
    }

    @Test
    void samplesOfARowAreTheInProcessSamples() {
        GenerateOptions options = GenerateOptions.of(model).withMaxTokens(16).withSamples(3).withSampling(0.8f, 1f, 0, 9);
        List<Row> out = EuclidSpark.generate(prompts(5, 2), options).collectAsList();
        assertEquals(15, out.size());
        Map<String, Row> bySample = new HashMap<>();
        for (Row r : out) assertTrue(bySample.put(r.getLong(0) + "/" + r.getInt(r.fieldIndex("sample")), r) == null);
        for (long id = 0; id < 5; id++) {
            Row any = bySample.get(id + "/0");
            List<Completion> expected = engine.generateAll(Request.builder().prompt(any.getString(1)).maxTokens(16).samples(3)
                    .sampling(Sampling.builder().temperature(0.8f).seed(EuclidSpark.rowSeed(9, id)).build()).build()).samples();
            for (int i = 0; i < 3; i++) {
                List<Integer> tokens = bySample.get(id + "/" + i).getList(any.fieldIndex("token_ids"));
                assertArrayEquals(expected.get(i).tokenIds(), tokens.stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    @Test
    void problemsAreSolvedAsTheInProcessSolverSolvesThem() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) rows.add(RowFactory.create("p" + i, String.format(OPENINGS[i], NAMES[i])));
        Dataset<Row> problems = spark.createDataFrame(rows, new StructType()
                .add("id", DataTypes.StringType, false).add("problem", DataTypes.StringType, false)).repartition(2);
        // Chain of thought on a story model: no \boxed{...} answers, so every sample runs to its turn's length and
        // the problems end the same way whatever the timing.
        SolveOptions options = SolveOptions.of(model, Strategy.COT).withSamples(3).withMaxTokensPerTurn(24).withSeed(5)
                .withInjectedFailure(2);
        Map<String, Row> solved = new HashMap<>();
        for (Row r : EuclidSpark.solve(problems, options).collectAsList()) {
            assertTrue(solved.put(r.getString(0), r) == null, "problem " + r.getString(0) + " came out twice");
        }
        assertEquals(6, solved.size());
        try (Solver solver = new Solver(new EngineBackend(engine), null, options.config())) {
            for (Row problem : rows) {
                Solution expected = solver.solve(new Problem(problem.getString(0), problem.getString(1), null)).get();
                Row row = solved.get(problem.getString(0));
                assertEquals(expected.answer(), row.getString(row.fieldIndex("voted_answer")));
                assertEquals(expected.ended().wireName(), row.getString(row.fieldIndex("ended")));
                assertEquals(expected.tokens(), row.getLong(row.fieldIndex("tokens")));
                List<Row> transcripts = row.getList(row.fieldIndex("transcripts"));
                assertEquals(3, transcripts.size());
                for (int i = 0; i < 3; i++) {
                    SampleTranscript t = expected.samples().get(i);
                    assertEquals(t.steps().get(0).text(), transcripts.get(i).getString(transcripts.get(i).fieldIndex("text")));
                    assertEquals(t.finish().wireName(), transcripts.get(i).getString(transcripts.get(i).fieldIndex("finish")));
                }
            }
        }
    }

    @Test
    void modelShippedAsSparkFilesIsFound() {
        Path bin = Path.of(model);
        spark.sparkContext().addFile(bin.toString());
        spark.sparkContext().addFile(bin.resolveSibling("tok512.bin").toString()); // the tokenizer beside it
        Map<Long, Row> rows = byId(EuclidSpark.generate(prompts(6, 2),
                GenerateOptions.of("sparkfiles:" + bin.getFileName()).withMaxTokens(16)).collectAsList());
        assertEquals(6, rows.size());
        for (Row row : rows.values()) assertSameAsInProcess(row, Request.builder().maxTokens(16));
    }

    @Test
    void modelThatCannotLoadFailsTheJobWithTheEnginesMessage(@TempDir Path dir) throws Exception {
        Path broken = Files.write(dir.resolve("broken.gguf"), "GGUF but not really".getBytes());
        String engineMessage = assertThrows(RuntimeException.class, () -> Engine.open(broken)).getMessage();
        SparkException failure = assertThrows(SparkException.class,
                () -> EuclidSpark.generate(prompts(8, 2), GenerateOptions.of(broken.toString())).collectAsList());
        assertTrue(failure.getMessage().contains(engineMessage), "expected '" + engineMessage + "' in: " + failure.getMessage());
    }

    @Test
    void badInputIsRefusedOnTheDriver() {
        Dataset<Row> noPrompt = prompts(2, 1).withColumnRenamed("prompt", "question");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> EuclidSpark.generate(noPrompt, GenerateOptions.of(model)));
        assertTrue(missing.getMessage().contains("no column 'prompt'"), missing.getMessage());
        Dataset<Row> clash = prompts(2, 1).withColumn("text", functions.lit("taken"));
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> EuclidSpark.generate(clash, GenerateOptions.of(model)));
        assertTrue(taken.getMessage().contains("'text'"), taken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GenerateOptions.of(model).withSampling(-1f, 1f, 0, 0));
    }
}
