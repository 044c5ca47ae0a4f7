package dev.euclid.bench;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.Generation;
import dev.euclid.KvOptions;
import dev.euclid.Precision;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.cli.bench.BenchFiles;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The solver front end's case: one prompt, {@code samples} samples of it (sharing the prompt's KV
 * blocks), {@code newTokens} sampled tokens each, through {@link Engine#generateAll}. One
 * invocation is one whole request; the score is in invocations/s, and the trial's tear-down prints
 * the aggregate generated tokens/s ({@code samples × newTokens} per invocation) as well.
 *
 * <p>The score includes the prompt's prefill (once, shared) and the ramp of the batch, as a caller
 * sees it; {@code euclid bench --batch B --peak} reports the steady decode rate instead.
 * Temperature 1 with a seed per sample; stop tokens off, so every sample makes {@code newTokens}.
 * Prefix caching is off, so every invocation computes its prompt.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 20)
public class SamplesBenchmark {

    @Param({"synthetic:qwen0.5b", "synthetic:1b"})
    public String model;

    /** fp8, int8 (and fp16, fp32, bf16). */
    @Param({"fp8", "int8"})
    public String weights;

    @Param("48")
    public int samples;

    @Param("64")
    public int newTokens;

    @Param("128")
    public int promptTokens;

    @Param("2")
    public int threads;

    private Engine engine;
    private Request request;
    private long invocations, nanos;

    @Setup(Level.Trial)
    public void open() {
        // KV for every sample's own tokens plus the shared prompt, and a block of slack per sample.
        Engine probe = Engine.open(BenchModels.engineFile(model, Precision.parse(weights)), EngineOptions.defaults().withThreads(1));
        long bytesPerToken = probe.metrics().kv().bytesPerToken();
        probe.close();
        long tokens = promptTokens + (long) samples * (newTokens + 32);
        engine = Engine.open(BenchModels.engineFile(model, Precision.parse(weights)), EngineOptions.defaults().withThreads(threads)
                .withKv(KvOptions.defaults().withPrefixCaching(false).withBudgetBytes(tokens * bytesPerToken)));
        request = Request.builder().promptTokens(BenchFiles.promptTokens(promptTokens, engine.info().vocabSize()))
                .samples(samples).maxTokens(newTokens).stopTokenIds().sampling(Sampling.builder().temperature(1f).seed(1).build())
                .build();
        check(engine.generateAll(request)); // fail in setup, not mid-measurement
    }

    @Benchmark
    public int generate() {
        long start = System.nanoTime();
        int last = check(engine.generateAll(request));
        nanos += System.nanoTime() - start;
        invocations++;
        return last;
    }

    /** The score means requests/s only if every sample really made its tokens. */
    private int check(Generation g) {
        if (g.samples().size() != samples) throw new IllegalStateException(g.samples().size() + " samples, expected " + samples);
        int last = 0;
        for (Completion c : g.samples()) {
            if (c.tokenIds().length != newTokens) {
                throw new IllegalStateException("a sample generated " + c.tokenIds().length + " tokens, expected " + newTokens);
            }
            last ^= c.tokenIds()[newTokens - 1];
        }
        return last;
    }

    @TearDown(Level.Trial)
    public void close() {
        if (invocations > 0) {
            System.out.printf("%n[euclid %s %s, %d threads] %d samples x %d tokens: %.1f generated tokens/s aggregate "
                    + "(warm-up and measurement, %d requests)%n", model, engine.weights().wireName(), engine.threads(), samples,
                    newTokens, (double) invocations * samples * newTokens * 1e9 / nanos, invocations);
        }
        engine.close();
    }
}
