package dev.euclid.spark;

import dev.euclid.solver.SolverConfig;
import dev.euclid.solver.Strategy;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link EuclidSpark#solve} runs: the model, a solver strategy's preset and what differs from
 * it, the code executor, a per-problem time budget and the input columns. Immutable and
 * serializable; the {@code SolverConfig} itself is built on each executor.
 */
public final class SolveOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What picks the executor's shared Solver: everything but the columns, the window and the test hook. */
    record SolverKey(String model, int threads, String strategy, int samples, int depth, int maxTokensPerTurn,
            float temperature, float topP, long seed, String executor) {}

    private final String model;
    private final Strategy strategy;
    private int threads;
    private int samples;
    private int depth = -1;
    private int maxTokensPerTurn;
    private float temperature = Float.NaN;
    private float topP = Float.NaN;
    private long seed;
    private String executor;
    private Duration problemBudget;
    private int maxInFlight = 4;
    private String idColumn = "id";
    private String problemColumn = "problem";
    private String answerColumn;
    private int failFirstAttemptAfterRows = -1;

    private SolveOptions(String model, Strategy strategy) {
        this.model = Objects.requireNonNull(model, "model");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    private SolveOptions copy() {
        SolveOptions o = new SolveOptions(model, strategy);
        o.threads = threads;
        o.samples = samples;
        o.depth = depth;
        o.maxTokensPerTurn = maxTokensPerTurn;
        o.temperature = temperature;
        o.topP = topP;
        o.seed = seed;
        o.executor = executor;
        o.problemBudget = problemBudget;
        o.maxInFlight = maxInFlight;
        o.idColumn = idColumn;
        o.problemColumn = problemColumn;
        o.answerColumn = answerColumn;
        o.failFirstAttemptAfterRows = failFirstAttemptAfterRows;
        return o;
    }

    /** {@code strategy}'s preset ({@code SolverConfig.of}) on {@code model} (a path, {@code hf:} id or {@code sparkfiles:NAME}). */
    public static SolveOptions of(String model, Strategy strategy) {
        return new SolveOptions(model, strategy);
    }

    public SolveOptions withThreads(int threads) {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = all cores), got " + threads);
        SolveOptions o = copy();
        o.threads = threads;
        return o;
    }

    public SolveOptions withSamples(int samples) {
        SolveOptions o = copy();
        o.samples = samples;
        o.config();
        return o;
    }

    public SolveOptions withDepth(int depth) {
        SolveOptions o = copy();
        o.depth = depth;
        o.config();
        return o;
    }

    public SolveOptions withMaxTokensPerTurn(int maxTokensPerTurn) {
        SolveOptions o = copy();
        o.maxTokensPerTurn = maxTokensPerTurn;
        o.config();
        return o;
    }

    public SolveOptions withSampling(float temperature, float topP) {
        SolveOptions o = copy();
        o.temperature = temperature;
        o.topP = topP;
        o.config();
        return o;
    }

    /** The run's seed: a problem's samples are seeded from it and the problem's id, whichever task solves it. */
    public SolveOptions withSeed(long seed) {
        SolveOptions o = copy();
        o.seed = seed;
        return o;
    }

    /** The code executor each executor JVM opens once ({@code Sandboxes.open(spec, limits)}); strategies with tools need one. */
    public SolveOptions withExecutor(String spec) {
        SolveOptions o = copy();
        o.executor = Objects.requireNonNull(spec, "spec");
        return o;
    }

    /** Time a problem may take; its samples finished by then vote. Default: no limit. */
    public SolveOptions withProblemBudget(Duration budget) {
        if (budget.isNegative() || budget.isZero()) throw new IllegalArgumentException("a time budget must be positive, got " + budget);
        SolveOptions o = copy();
        o.problemBudget = budget;
        return o;
    }

    /** Most problems one task solves at once (default 4; each runs {@code samples} samples). */
    public SolveOptions withMaxInFlight(int maxInFlight) {
        if (maxInFlight <= 0) throw new IllegalArgumentException("maxInFlight must be > 0, got " + maxInFlight);
        SolveOptions o = copy();
        o.maxInFlight = maxInFlight;
        return o;
    }

    /**
     * The input's columns: the problem id (string, long or int; unique, non-null), the statement
     * (string) and, optionally (null = none), the expected answer (string).
     */
    public SolveOptions withColumns(String idColumn, String problemColumn, String answerColumn) {
        SolveOptions o = copy();
        o.idColumn = Objects.requireNonNull(idColumn, "idColumn");
        o.problemColumn = Objects.requireNonNull(problemColumn, "problemColumn");
        o.answerColumn = answerColumn;
        return o;
    }

    SolveOptions withInjectedFailure(int afterRows) {
        SolveOptions o = copy();
        o.failFirstAttemptAfterRows = afterRows;
        return o;
    }

    /** The solver's configuration: the strategy's preset with this object's changes. */
    SolverConfig config() {
        SolverConfig c = SolverConfig.of(strategy);
        if (samples != 0) c = c.withSamples(samples);
        if (depth >= 0) c = c.withDepth(depth);
        if (maxTokensPerTurn != 0) c = c.withMaxTokensPerTurn(maxTokensPerTurn);
        if (!Float.isNaN(temperature)) c = c.withSampling(temperature, topP);
        return c.withSeed(seed);
    }

    SolverKey solverKey() {
        return new SolverKey(model, threads, strategy.wireName(), samples, depth, maxTokensPerTurn, temperature, topP, seed, executor);
    }

    String model() {
        return model;
    }

    int threads() {
        return threads;
    }

    String executor() {
        return executor;
    }

    Duration problemBudget() {
        return problemBudget;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    String idColumn() {
        return idColumn;
    }

    String problemColumn() {
        return problemColumn;
    }

    String answerColumn() {
        return answerColumn;
    }

    int failFirstAttemptAfterRows() {
        return failFirstAttemptAfterRows;
    }
}
