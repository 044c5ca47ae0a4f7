package dev.euclid.bench;

import dev.euclid.Diagnostics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * This machine's memory read bandwidth: each invocation streams once through a 1 GiB array (far
 * beyond any cache), split over {@code threads} threads, summing it. One operation is one byte, so
 * ops/s = bytes/s. Decode tokens/s × weight bytes per token over this number is the share of the
 * bandwidth decode uses (the summary after the run computes it).
 *
 * <p>The loop is plain Java (four independent accumulators): at DRAM speed the loads, not the adds,
 * are the limit, and a few bytes per cycle per core are enough to saturate it. The trial also prints
 * Euclid's native probe (AVX dot products against a cached vector, best of 5 passes, as {@code euclid
 * bench --bandwidth} and {@code --compare} report) for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class MemoryBandwidthBenchmark {
    static final int BYTES = 1 << 30;

    @Param("2")
    public int threads;

    private long[] data;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void allocate() {
        data = new long[BYTES / Long.BYTES];
        Arrays.fill(data, 1L); // touch every page before timing
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bandwidth");
            t.setDaemon(true);
            return t;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BYTES)
    public long read() throws InterruptedException, ExecutionException {
        int n = data.length, per = (n + threads - 1) / threads;
        List<Future<Long>> parts = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = Math.min(n, t * per), to = Math.min(n, from + per);
            parts.add(pool.submit(() -> sum(data, from, to)));
        }
        long total = 0;
        for (Future<Long> f : parts) total += f.get();
        return total;
    }

    static long sum(long[] a, int from, int to) {
        long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < to; i++) s0 += a[i];
        return s0 + s1 + s2 + s3;
    }

    @TearDown(Level.Trial)
    public void close() {
        pool.shutdownNow();
        data = null;
        System.out.printf("%n[native read probe, %d threads] %.1f GB/s%n", threads,
                Diagnostics.memoryReadBandwidth(BYTES, threads) / 1e9);
    }
}
