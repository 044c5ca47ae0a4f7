package dev.euclid.solver;

import dev.euclid.solver.answer.AnswerExtractor;
import dev.euclid.solver.model.ModelBackend;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Solves problems with a model, a code executor and a strategy ({@link SolverConfig}): N samples
 * per problem, each running its code through the executor while the model decodes the others,
 * answers extracted and majority-voted, the rest stopped once the vote is decided.
 *
 * <pre>{@code
 * try (Engine engine = Engine.open(model);
 *      CodeExecutor python = Sandboxes.open("local", ExecutionLimits.defaults());
 *      Solver solver = new Solver(new EngineBackend(engine), python, SolverConfig.scTir())) {
 *     Solution s = solver.solve(new Problem("p1", "What is 2 + 3?", "5")).join();
 *     System.out.println(s.answer() + " " + s.votes());
 * }
 * }</pre>
 *
 * Any number of problems may be solved at once. The model and the executor stay the caller's.
 */
public final class Solver implements AutoCloseable {
    private final ModelBackend model;
    private final CodeExecutor executor;
    private final SolverConfig config;
    private final AnswerExtractor extractor;
    private final ScheduledThreadPoolExecutor loop;
    private final Set<ProblemRun> active = new HashSet<>();

    public Solver(ModelBackend model, CodeExecutor executor, SolverConfig config) {
        this(model, executor, config, AnswerExtractor.boxed());
    }

    public Solver(ModelBackend model, CodeExecutor executor, SolverConfig config, AnswerExtractor extractor) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        this.extractor = Objects.requireNonNull(extractor, "extractor");
        if (executor == null && config.depth() > 0) {
            throw new IllegalArgumentException("strategy " + config.strategy().wireName() + " runs code: it needs a CodeExecutor");
        }
        this.executor = executor;
        this.loop = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "euclid-solver");
            t.setDaemon(true);
            return t;
        });
        // Closing must not wait for time budgets still pending.
        this.loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public SolverConfig config() {
        return config;
    }

    /** Solves {@code problem} with no time limit. */
    public CompletableFuture<Solution> solve(Problem problem) {
        return solve(problem, null);
    }

    /**
     * Solves {@code problem}; once {@code budget} has passed the samples still working are stopped
     * and those finished by then vote (null: no limit).
     */
    public CompletableFuture<Solution> solve(Problem problem, Duration budget) {
        Objects.requireNonNull(problem, "problem");
        if (budget != null && (budget.isNegative() || budget.isZero())) {
            throw new IllegalArgumentException("a time budget must be positive, got " + budget);
        }
        ProblemRun run = new ProblemRun(problem, config, model, executor, extractor, loop);
        synchronized (active) {
            if (loop.isShutdown()) throw new IllegalStateException("solver is closed");
            active.add(run);
        }
        return run.start(budget).whenComplete((s, e) -> {
            synchronized (active) {
                active.remove(run);
            }
        });
    }

    /**
     * Stops the samples of every problem still running (their futures fail with an
     * IllegalStateException) and the solver's thread. The model and executor stay open.
     */
    @Override
    public void close() {
        synchronized (active) {
            if (loop.isShutdown()) return;
            for (ProblemRun run : active) loop.execute(run::abort);
            loop.shutdown();
        }
        try {
            if (!loop.awaitTermination(10, TimeUnit.SECONDS)) loop.shutdownNow();
        } catch (InterruptedException e) {
            loop.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
