package dev.euclid.bench;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.Timings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Euclid generation speed: each invocation is one complete greedy request (short prompt, then
 * {@link BenchModels#NEW_TOKENS} tokens with stop tokens disabled), so ops/s is generated tokens/s
 * including the small prefill, exactly what a caller of {@code generate} sees.
 *
 * <p>Five measured iterations of 4 s give a usable error bar (JMH's 99.9% interval uses Student's t,
 * which is huge with fewer samples) while the whole default run stays within a few minutes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
public class DecodeBenchmark {

    @Param({"synthetic:110m", BenchModels.STORIES})
    public String model;

    @Param("2")
    public int threads;

    private Engine engine;
    private Request request;
    private Timings lastTimings;

    @Setup(Level.Trial)
    public void open() {
        // Synthetic models are generated into the cache on first use; that cost stays out of the timing.
        engine = Engine.open(BenchModels.euclidModel(model), EngineOptions.defaults().withThreads(threads));
        request = Request.builder()
                .prompt(BenchModels.PROMPT)
                .maxTokens(BenchModels.NEW_TOKENS)
                .stopTokenIds() // never stop early: every invocation does the same work
                .sampling(Sampling.greedy())
                .build();
        generate(); // fail in setup, not mid-measurement, if the token count would be wrong
    }

    @Benchmark
    @OperationsPerInvocation(BenchModels.NEW_TOKENS)
    public int generate() {
        Completion c = engine.generate(request);
        // ops/s is only tokens/s if every call really produced NEW_TOKENS tokens.
        if (c.tokenIds().length != BenchModels.NEW_TOKENS) {
            throw new IllegalStateException("generated " + c.tokenIds().length + " tokens, expected "
                    + BenchModels.NEW_TOKENS);
        }
        lastTimings = c.timings();
        return c.tokenIds()[c.tokenIds().length - 1];
    }

    @TearDown(Level.Trial)
    public void close() {
        // Euclid's own split, for telling prefill cost apart from steady-state decode.
        if (lastTimings != null) {
            System.out.printf("%n[euclid %s, %d threads] last call: prefill %d tok in %.2f ms, decode %.1f tok/s%n",
                    model, engine.threads(), lastTimings.prefillTokens(), lastTimings.prefillNanos() / 1e6,
                    lastTimings.decodeTokensPerSecond());
        }
        engine.close();
    }
}
