package dev.euclid.bench.solver;

import dev.euclid.Activations;
import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.Precision;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.ExecutionLimits;
import dev.euclid.solver.ExecutionResult;
import dev.euclid.solver.Problem;
import dev.euclid.solver.PromptTemplate;
import dev.euclid.solver.Solution;
import dev.euclid.solver.Solver;
import dev.euclid.solver.SolverConfig;
import dev.euclid.solver.model.Decoding;
import dev.euclid.solver.model.EngineBackend;
import dev.euclid.solver.model.ModelBackend;
import dev.euclid.solver.model.PendingTurn;
import dev.euclid.solver.model.SampleGroup;
import dev.euclid.solver.model.Turn;
import dev.euclid.solver.model.TurnListener;
import dev.euclid.solver.tool.ToolSyntax;
import dev.euclid.synthetic.SyntheticModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Problems per hour of the SC-TIR loop on a synthetic model, against the same work done naively.
 * Random weights write no code, so the tool calls are scripted: every turn is exactly
 * {@code --turn-tokens} tokens and then "calls" a tool whose run takes {@code --tool-ms} (a timer,
 * as a sandbox run waits on its process), M times per sample, then one last turn.
 * <ul>
 *   <li>solver: {@link Solver} over {@link EngineBackend}: N samples in one batch, continuations
 *       through the prefix cache, tool runs overlapping the other samples' decoding;
 *   <li>naive: the loop as one writes it first: each sample alone, generate, run the tool and wait,
 *       continue; timed on {@code --naive-samples} samples and scaled to N (its time is linear in N).
 * </ul>
 * Both generate the same tokens (same seeds, same turn lengths).
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.euclid.bench.solver.SolverThroughput synthetic:qwen0.5b fp8 2 48 4 32 200 3 2</pre>
 * arguments: model, weights, threads, N, M, tokens per turn, tool ms, naive samples timed, rounds (default 1),
 * activations (fp32 or int8, default fp32; both loops use it).
 */
public final class SolverThroughput {
    private static final String PROMPT = "### Problem: Find the number of ordered pairs of positive integers (a, b) such"
            + " that a + b = 1000 and neither a nor b has a zero digit. Give the answer modulo 1000.\n### Solution: ";

    public static void main(String[] args) throws Exception {
        String model = args[0];
        Precision weights = Precision.parse(args[1]);
        int threads = Integer.parseInt(args[2]), n = Integer.parseInt(args[3]), m = Integer.parseInt(args[4]);
        int turnTokens = Integer.parseInt(args[5]), toolMs = Integer.parseInt(args[6]), naiveSamples = Integer.parseInt(args[7]);
        int rounds = args.length > 8 ? Integer.parseInt(args[8]) : 1;
        Activations activations = args.length > 9 ? Activations.parse(args[9]) : Activations.FP32;
        try (Engine engine = Engine.open(SyntheticModels.isSyntheticName(model) ? SyntheticModels.resolve(model) : Path.of(model), EngineOptions.defaults().withThreads(threads).withWeights(weights).withActivations(activations))) {
            System.out.printf(Locale.ROOT, "model %s %s weights, %s activations, %d threads; N=%d M=%d, %d tokens per turn,"
                    + " %d ms per tool run%n", model, weights.wireName(), activations.wireName(), threads, n, m, turnTokens, toolMs);
            warmUp(engine);
            // Alternating rounds, so that a change in the machine's load hits both loops alike.
            for (int round = 1; round <= rounds; round++) {
                double[] solver = solver(engine, n, m, turnTokens, toolMs);
                double[] naive = naive(engine, naiveSamples, m, turnTokens, toolMs);
                double naiveSeconds = naive[0] * n / naiveSamples, naiveCpu = naive[1] * n / naiveSamples;
                System.out.printf(Locale.ROOT, "round %d naive:  %.1f s per problem (%d samples timed, scaled to %d) = %.1f problems/hour;"
                        + " %.1f CPU-s per problem%n", round, naiveSeconds, naiveSamples, n, 3600 / naiveSeconds, naiveCpu);
                System.out.printf(Locale.ROOT, "round %d ratio: %.2fx problems/hour (wall), %.2fx CPU time per problem%n",
                        round, naiveSeconds / solver[0], naiveCpu / solver[1]);
            }
        }
    }

    private static void warmUp(Engine engine) {
        engine.generate(Request.builder().prompt(PROMPT).maxTokens(8).sampling(sampling(1)).build());
    }

    private static Sampling sampling(long seed) {
        return Sampling.builder().temperature(0.8f).seed(seed).build();
    }

    /** This process's CPU time (all threads, the engine's native ones included), in seconds. */
    private static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** {wall seconds, CPU seconds} of one problem. */
    private static double[] solver(Engine engine, int n, int m, int turnTokens, int toolMs) {
        SolverConfig config = SolverConfig.scTir().withSamples(n).withDepth(m).withMaxTokensPerTurn(turnTokens)
                .withEarlyStop(false).withPrompt(new PromptTemplate("{problem}")).withTools(new EveryTurnCalls())
                .withSampling(0.8f, 1.0f).withSeed(1);
        try (FixedCostTool tool = new FixedCostTool(toolMs);
             Solver solver = new Solver(new LengthIsACall(new EngineBackend(engine)), tool, config)) {
            long t0 = System.nanoTime();
            double cpu0 = cpuSeconds();
            Solution s = solver.solve(new Problem("bench", PROMPT, null)).join();
            double seconds = (System.nanoTime() - t0) / 1e9, cpu = cpuSeconds() - cpu0;
            System.out.printf(Locale.ROOT, "solver: %.1f s per problem = %.1f problems/hour; %.1f CPU-s; %d tokens, %d tool runs,"
                    + " model idle %.1f%%%n", seconds, 3600 / seconds, cpu, s.tokens(), s.codeRuns(), 100 * s.modelIdleFraction());
            return new double[] {seconds, cpu};
        }
    }

    /** Each sample alone: generate a turn, run the tool and wait for it, continue; M times, then the last turn. */
    private static double[] naive(Engine engine, int samples, int m, int turnTokens, int toolMs) throws InterruptedException {
        int[] appended = engine.tokenizer().encode(EveryTurnCalls.OUTPUT, false);
        long t0 = System.nanoTime();
        double cpu0 = cpuSeconds();
        long tokens = 0;
        for (int i = 0; i < samples; i++) {
            Completion turn = engine.generate(Request.builder().prompt(PROMPT).maxTokens(turnTokens).sampling(sampling(i)).build());
            tokens += turn.tokenIds().length;
            for (int call = 0; call < m; call++) {
                Thread.sleep(toolMs);
                turn = engine.generate(Request.builder().continueFrom(turn, appended).maxTokens(turnTokens)
                        .sampling(sampling(i * 1000L + call)).build());
                tokens += turn.tokenIds().length;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9, cpu = cpuSeconds() - cpu0;
        System.out.printf(Locale.ROOT, "naive timed: %d samples in %.1f s, %.1f CPU-s, %d tokens%n", samples, seconds, cpu, tokens);
        return new double[] {seconds, cpu};
    }

    /** Every turn that ran to its token limit is a tool call (the scripted stand-in for a ```python block). */
    private static final class LengthIsACall implements ModelBackend {
        private final ModelBackend inner;

        LengthIsACall(ModelBackend inner) {
            this.inner = inner;
        }

        private static Turn asCall(Turn t) {
            return t.end() != Turn.End.LENGTH ? t
                    : new Turn(t.text() + EveryTurnCalls.CALL, EveryTurnCalls.CALL, Turn.End.STOP_STRING, t.tokens(), t.contextTokens(), t.continuation());
        }

        @Override
        public SampleGroup start(String prompt, int samples, Decoding decoding, long seed, TurnListener listener) {
            return inner.start(prompt, samples, decoding, seed, new TurnListener() {
                @Override
                public void ended(int sample, Turn turn) {
                    listener.ended(sample, asCall(turn));
                }

                @Override
                public void failed(Throwable error) {
                    listener.failed(error);
                }
            });
        }

        @Override
        public PendingTurn resume(Turn previous, String appended, Decoding decoding, long seed) {
            PendingTurn p = inner.resume(previous, appended, decoding, seed);
            return PendingTurn.of(p.turn().thenApply(LengthIsACall::asCall), p::stop);
        }
    }

    private static final class EveryTurnCalls implements ToolSyntax {
        static final String CALL = "<call>";
        static final String OUTPUT = "\nresult: 42\n";

        @Override
        public List<String> stops() {
            return List.of();
        }

        @Override
        public Optional<String> call(String turnText) {
            return turnText.endsWith(CALL) ? Optional.of("work()") : Optional.empty();
        }

        @Override
        public String output(ExecutionResult result, String stop) {
            return OUTPUT;
        }

        @Override
        public String inferStop(String text) {
            return null;
        }
    }

    /** A tool run of fixed wall time that uses no CPU, completed from a timer. */
    private static final class FixedCostTool implements CodeExecutor {
        private final int millis;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        FixedCostTool(int millis) {
            this.millis = millis;
        }

        @Override
        public CompletableFuture<ExecutionResult> execute(String code, ExecutionLimits limits) {
            CompletableFuture<ExecutionResult> r = new CompletableFuture<>();
            timer.schedule(() -> r.complete(new ExecutionResult(ExecutionResult.Status.OK, "42\n", "", millis / 1000.0)),
                    millis, TimeUnit.MILLISECONDS);
            return r;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
