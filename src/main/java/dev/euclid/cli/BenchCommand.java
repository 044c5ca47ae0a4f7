package dev.euclid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.Precision;
import dev.euclid.cli.bench.BatchedDecodeBench;
import dev.euclid.cli.bench.BenchResult;
import dev.euclid.cli.bench.BenchSettings;
import dev.euclid.cli.bench.EuclidBench;
import dev.euclid.internal.NativeApi;
import dev.euclid.synthetic.SyntheticModels;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure prefill and decode tokens/s for one model and setting.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "PATH", description = "Engine file, checkpoint, or synthetic:SHAPE (required without --compare)")
    String model;

    @Option(names = "--weights", defaultValue = "fp32", description = "Precision for checkpoints: fp32, bf16, fp16, fp8, int8")
    String weights;

    int threads;
    List<Integer> threadCounts;

    @Option(names = "--threads", split = ",", defaultValue = "0", paramLabel = "T",
            description = "Kernel threads; 0 = all cores (--compare: a list, e.g. 1,2)")
    void threads(List<Integer> counts) {
        threadCounts = counts;
        threads = counts.isEmpty() ? 0 : counts.get(0);
    }

    @Option(names = "--batch", defaultValue = "1", description = "Concurrent requests, submitted together through the scheduler")
    int batch;

    @Option(names = "--prompt-tokens", defaultValue = "128", description = "Prompt length (default ${DEFAULT-VALUE})")
    int promptTokens;

    @Option(names = "--gen-tokens", defaultValue = "64", description = "Generated tokens per run (default ${DEFAULT-VALUE})")
    int genTokens;

    @Option(names = "--runs", defaultValue = "3", description = "Measured runs after one warm-up; the median is reported")
    int runs;

    @Option(names = "--samples", defaultValue = "1", description = "Samples of the prompt per run (sharing its KV)")
    int samples;

    @Mixin KvArgs kv;

    @Mixin SpeculationArgs speculation;

    @Option(names = "--bandwidth", description = "Also measure memory read bandwidth (1 GiB stream) and decode's share of it")
    boolean bandwidth;

    @Option(names = "--peak", description = "Also measure this machine's arithmetic peak (FP32 FMA, the kernels' instruction) "
            + "and print decode's GFLOP/s as a fraction of it")
    boolean peak;

    @Option(names = "--llama-cpp", arity = "0..1", fallbackValue = "", paramLabel = "SHAPE",
            description = "Also run llama.cpp on synthetic SHAPE's GGUF with batch x samples parallel slots and print "
                    + "Euclid / llama.cpp (SHAPE defaults to that of --model synthetic:SHAPE)")
    String llamaCpp;

    @Option(names = "--json", description = "Print one JSON object")
    boolean json;

    @Mixin CompareArgs compare;

    @Override
    public Integer call() {
        if (compare.enabled) return compare.run(model, threadCounts, promptTokens, genTokens, runs, json);
        if (model == null) throw new IllegalArgumentException("--model is required (or --compare)");
        if (threadCounts.size() > 1) throw new IllegalArgumentException("--threads takes one count without --compare");
        BenchSettings s = new BenchSettings(model, Precision.parse(weights), threads, batch, promptTokens, genTokens, runs,
                samples, kv.options(), speculation.speculation(), speculation.drafter);
        BenchResult r;
        BatchedDecodeBench batched = null;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("bench").setInitialMax(runs + 1L)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                .build()) {
            if (peak || llamaCpp != null) {
                batched = BatchedDecodeBench.run(ModelArgument.resolve(model), s, peak, llamaShape(), bar::stepTo);
                r = batched.euclid();
            } else {
                r = EuclidBench.run(ModelArgument.resolve(model), s, bar::stepTo);
            }
        }
        if (bandwidth) {
            NativeApi.load();
            double bw = NativeApi.measure_read_bandwidth(1L << 30, r.settings().threads());
            r = r.withMemoryBandwidth(bw);
        }
        if (json) {
            var o = r.toJson(new ObjectMapper());
            if (batched != null) batched.addTo(o);
            System.out.println(o.toString());
        } else {
            System.out.printf("%s  weights %s  threads %d  prompt %d  gen %d%n", model,
                    r.settings().weights().wireName(), r.settings().threads(), promptTokens, genTokens);
            System.out.printf("prefill %.1f tok/s   decode %.2f tok/s   (%.1f GB/s of weights)%n",
                    r.prefillTokensPerSecond(), r.decodeTokensPerSecond(), r.decodeBandwidth() / 1e9);
            if (batch * samples > 1) {
                System.out.printf("%d sequences: %.2f tok/s each%n", batch * samples, r.perSequenceDecodeTokensPerSecond());
            }
            if (r.memoryBandwidth() > 0) {
                System.out.printf("memory read bandwidth %.1f GB/s: decode uses %.0f%% of it%n", r.memoryBandwidth() / 1e9,
                        100 * r.decodeBandwidth() / r.memoryBandwidth());
            }
            if (batched != null) batched.print(System.out);
        }
        return 0;
    }

    /** The synthetic shape llama.cpp runs: --llama-cpp SHAPE, else that of --model synthetic:SHAPE; null without --llama-cpp. */
    private String llamaShape() {
        if (llamaCpp == null) return null;
        if (!llamaCpp.isEmpty()) return llamaCpp;
        if (model.startsWith(SyntheticModels.PREFIX)) return model.substring(SyntheticModels.PREFIX.length());
        throw new IllegalArgumentException("--llama-cpp needs a shape (--llama-cpp qwen0.5b) when --model is not synthetic:SHAPE");
    }
}
