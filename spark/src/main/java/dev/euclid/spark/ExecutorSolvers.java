package dev.euclid.spark;

import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.Solver;
import dev.euclid.solver.SolverConfig;
import dev.euclid.solver.model.EngineBackend;
import dev.euclid.solver.sandbox.Sandboxes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The solvers of this JVM, one per configuration, over the JVM's shared engines
 * ({@link ExecutorEngines}), so every task's problems decode in one scheduler. Each has its own
 * code executor when the strategy runs code. Closed when the JVM exits.
 */
final class ExecutorSolvers {
    private record Entry(Solver solver, CodeExecutor executor) {}

    private static final Map<SolveOptions.SolverKey, Entry> SOLVERS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorSolvers::closeAll, "euclid-spark-solvers-close"));
    }

    private ExecutorSolvers() {
    }

    static Solver get(SolveOptions options) {
        return SOLVERS.computeIfAbsent(options.solverKey(), k -> {
            SolverConfig config = options.config();
            CodeExecutor executor = options.executor() == null ? null : Sandboxes.open(options.executor(), config.limits());
            try {
                EngineBackend model = new EngineBackend(ExecutorEngines.get(options.model(), options.threads()));
                return new Entry(new Solver(model, executor, config), executor);
            } catch (RuntimeException e) {
                if (executor != null) executor.close();
                throw e;
            }
        }).solver();
    }

    private static void closeAll() {
        SOLVERS.values().forEach(e -> {
            e.solver().close();
            if (e.executor() != null) e.executor().close();
        });
        SOLVERS.clear();
    }
}
