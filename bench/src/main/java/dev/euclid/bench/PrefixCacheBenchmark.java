package dev.euclid.bench;

import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.Precision;
import dev.euclid.Request;
import java.util.Arrays;
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
 * Time to first token of a request whose prompt shares a long prefix with an earlier one (the
 * solver pattern: one problem statement, many continuations), against the same request on an
 * engine without prefix caching. Each invocation is one request with a new 8-token suffix, so
 * only the prefix can come from the cache. Compare {@code sharedPrefix} with {@code coldPrefix}
 * from the same run: the target is sharedPrefix <= 10% of coldPrefix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 4)
public class PrefixCacheBenchmark {
    @Param("synthetic:qwen0.5b")
    public String model;

    @Param("fp8")
    public String weights;

    @Param("1000")
    public int prefixTokens;

    @Param("2")
    public int threads;

    private Engine cached, uncached;
    private int[] prefix;
    private int calls;

    @Setup(Level.Trial)
    public void open() {
        EngineOptions base = EngineOptions.defaults().withThreads(threads).withWeights(Precision.parse(weights));
        cached = Engine.open(BenchModels.euclidModel(model), base);
        uncached = Engine.open(BenchModels.euclidModel(model), base.withKv(KvOptions.defaults().withPrefixCaching(false)));
        prefix = new int[prefixTokens];
        for (int i = 0; i < prefix.length; i++) prefix[i] = (int) Math.floorMod(i * 2654435761L + 7, 30000L);
        cached.generate(request()); // the earlier request that fills the cache
    }

    /** The shared prefix plus a suffix no earlier request had. */
    private Request request() {
        int[] prompt = Arrays.copyOf(prefix, prefix.length + 8);
        for (int i = 0; i < 8; i++) prompt[prefix.length + i] = 100 + (calls * 8 + i) % 29000;
        calls++;
        return Request.builder().promptTokens(prompt).maxTokens(1).stopTokenIds().build();
    }

    @Benchmark
    public int sharedPrefix() {
        return cached.generate(request()).tokenIds()[0];
    }

    @Benchmark
    public int coldPrefix() {
        return uncached.generate(request()).tokenIds()[0];
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.println("prefix cache: " + cached.kvStats());
        cached.close();
        uncached.close();
    }
}
