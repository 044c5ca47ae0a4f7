package dev.euclid.bench;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Euclid's speed on an engine file of {@code model} in {@code weights} (built once into the cache):
 *
 * <ul>
 *   <li>{@code decode}: a one-token prompt, then {@link BenchModels#DECODE_TOKENS} greedy tokens with
 *       stop tokens disabled. Every forward pass is a one-token step (the prompt's own pass yields the
 *       first token), so ops/s = decode tokens/s at batch 1.
 *   <li>{@code prefill}: a {@link BenchModels#PREFILL_TOKENS}-token prompt, then one token; ops/s =
 *       prompt tokens / time to first token.
 * </ul>
 *
 * <p>Prompts are token ids ({@link BenchFiles#promptTokens}), the same ones llama.cpp gets in
 * {@link LlamaCppDecodeBenchmark}. Prefix caching is off, so every invocation computes its prompt.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 4)
@Measurement(iterations = 5, time = 4)
public class DecodeBenchmark {

    @Param({"synthetic:110m", "synthetic:qwen0.5b", "synthetic:1b"})
    public String model;

    /** fp16, fp8, int8 (and fp32, bf16). */
    @Param({"fp16", "fp8", "int8"})
    public String weights;

    @Param("2")
    public int threads;

    private Engine engine;
    private Request decode, prefill;
    private Completion last;

    @Setup(Level.Trial)
    public void open() {
        // Building the engine file (first trial of a shape and precision only) stays out of the timing.
        engine = Engine.open(BenchModels.engineFile(model, Precision.parse(weights)),
                EngineOptions.defaults().withThreads(threads).withKv(KvOptions.defaults().withPrefixCaching(false)));
        int vocab = engine.info().vocabSize();
        decode = Request.builder().promptTokens(BenchFiles.promptTokens(1, vocab)).maxTokens(BenchModels.DECODE_TOKENS)
                .stopTokenIds().sampling(Sampling.greedy()).build();
        prefill = Request.builder().promptTokens(BenchFiles.promptTokens(BenchModels.PREFILL_TOKENS, vocab)).maxTokens(1)
                .stopTokenIds().sampling(Sampling.greedy()).build();
        check(engine.generate(decode), BenchModels.DECODE_TOKENS); // fail in setup, not mid-measurement
    }

    @Benchmark
    @OperationsPerInvocation(BenchModels.DECODE_TOKENS)
    public int decode() {
        return check(engine.generate(decode), BenchModels.DECODE_TOKENS);
    }

    @Benchmark
    @OperationsPerInvocation(BenchModels.PREFILL_TOKENS)
    public int prefill() {
        return check(engine.generate(prefill), 1);
    }

    /** ops/s is only tokens/s if every call really produced the expected tokens. */
    private int check(Completion c, int expected) {
        if (c.tokenIds().length != expected) {
            throw new IllegalStateException("generated " + c.tokenIds().length + " tokens, expected " + expected);
        }
        last = c;
        return c.tokenIds()[expected - 1];
    }

    @TearDown(Level.Trial)
    public void close() {
        // Weight bytes per token turn decode tokens/s into bandwidth (compare MemoryBandwidthBenchmark).
        if (last != null) {
            System.out.printf("%n[euclid %s %s, %d threads] %.1f MB of weights per token; last call: prefill %.1f tok/s, "
                    + "decode %.1f tok/s%n", model, engine.weights().wireName(), engine.threads(),
                    engine.weightBytesPerToken() / 1e6, last.timings().prefillTokensPerSecond(),
                    last.timings().decodeTokensPerSecond());
        }
        engine.close();
    }
}
