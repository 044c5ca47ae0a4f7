package dev.euclid.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How {@link EuclidSpark#generate} runs: the model, the engine's threads, the generation settings
 * and the input columns. Immutable and serializable: the driver ships it to every task.
 *
 * <p>{@code model} is a path every executor sees, {@code hf:ORG/NAME...} (fetched into each
 * executor's Hugging Face cache, see {@code dev.euclid.Models}), or {@code sparkfiles:NAME} for a
 * file distributed with {@code spark-submit --files} / {@code SparkContext.addFile}.
 */
public final class GenerateOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String model;
    private int threads;
    private int maxTokens = 256;
    private int samples = 1;
    private float temperature;
    private float topP = 1.0f;
    private int topK;
    private long seed;
    private List<String> stopStrings = List.of();
    private int maxInFlight = 64;
    private String idColumn = "id";
    private String promptColumn = "prompt";
    /** Test hook: the first attempt of partition 0 fails after this many rows (-1 = never). */
    private int failFirstAttemptAfterRows = -1;

    private GenerateOptions(String model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    private GenerateOptions copy() {
        GenerateOptions o = new GenerateOptions(model);
        o.threads = threads;
        o.maxTokens = maxTokens;
        o.samples = samples;
        o.temperature = temperature;
        o.topP = topP;
        o.topK = topK;
        o.seed = seed;
        o.stopStrings = stopStrings;
        o.maxInFlight = maxInFlight;
        o.idColumn = idColumn;
        o.promptColumn = promptColumn;
        o.failFirstAttemptAfterRows = failFirstAttemptAfterRows;
        return o;
    }

    /** Greedy decoding of up to 256 tokens per row, the engine using all of the executor's cores. */
    public static GenerateOptions of(String model) {
        return new GenerateOptions(model);
    }

    /** Engine threads per executor JVM; 0 (default) = all cores. Part of the engine's key. */
    public GenerateOptions withThreads(int threads) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        GenerateOptions o = copy();
        o.threads = threads;
        return o;
    }

    public GenerateOptions withMaxTokens(int maxTokens) {
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be > 0, got " + maxTokens);
        GenerateOptions o = copy();
        o.maxTokens = maxTokens;
        return o;
    }

    /**
     * Samples per row (default 1), for best-of-N or self-consistency: each input row gives this many
     * output rows, told apart by the {@code sample} column. They share the prompt's KV blocks and
     * decode together; sample i draws with the row's seed + i.
     */
    public GenerateOptions withSamples(int samples) {
        if (samples <= 0) throw new IllegalArgumentException("samples must be > 0, got " + samples);
        GenerateOptions o = copy();
        o.samples = samples;
        return o;
    }

    /**
     * Sampling as {@code dev.euclid.Sampling} has it (temperature 0 = greedy). Each row draws with a
     * seed derived from {@code seed} and the row's id ({@link EuclidSpark#rowSeed}), so a retried or
     * speculative task reproduces its rows exactly.
     */
    public GenerateOptions withSampling(float temperature, float topP, int topK, long seed) {
        GenerateOptions o = copy();
        o.temperature = temperature;
        o.topP = topP;
        o.topK = topK;
        o.seed = seed;
        o.sampling(); // validates now, on the driver, rather than in every task
        return o;
    }

    public GenerateOptions withStopStrings(String... stopStrings) {
        GenerateOptions o = copy();
        o.stopStrings = List.of(stopStrings);
        return o;
    }

    /** Most requests one task keeps submitted at once (default 64); the engine batches them with other tasks'. */
    public GenerateOptions withMaxInFlight(int maxInFlight) {
        if (maxInFlight <= 0) throw new IllegalArgumentException("maxInFlight must be > 0, got " + maxInFlight);
        GenerateOptions o = copy();
        o.maxInFlight = maxInFlight;
        return o;
    }

    /** The input's columns: a non-null long (or int) row id, unique per row, and the prompt text. */
    public GenerateOptions withColumns(String idColumn, String promptColumn) {
        GenerateOptions o = copy();
        o.idColumn = Objects.requireNonNull(idColumn, "idColumn");
        o.promptColumn = Objects.requireNonNull(promptColumn, "promptColumn");
        return o;
    }

    GenerateOptions withInjectedFailure(int afterRows) {
        GenerateOptions o = copy();
        o.failFirstAttemptAfterRows = afterRows;
        return o;
    }

    String model() {
        return model;
    }

    int threads() {
        return threads;
    }

    int maxTokens() {
        return maxTokens;
    }

    int samples() {
        return samples;
    }

    long seed() {
        return seed;
    }

    List<String> stopStrings() {
        return stopStrings;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    String idColumn() {
        return idColumn;
    }

    String promptColumn() {
        return promptColumn;
    }

    int failFirstAttemptAfterRows() {
        return failFirstAttemptAfterRows;
    }

    /** The sampling of a row whose derived seed is {@code rowSeed}. */
    dev.euclid.Sampling sampling(long rowSeed) {
        return dev.euclid.Sampling.builder().temperature(temperature).topP(topP).topK(topK).seed(rowSeed).build();
    }

    private dev.euclid.Sampling sampling() {
        return sampling(seed);
    }
}
