package dev.euclid.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.Diagnostics;
import dev.euclid.Activations;
import dev.euclid.Device;
import dev.euclid.Precision;
import dev.euclid.Speculation;
import dev.euclid.cli.bench.BatchedDecodeBench;
import dev.euclid.cli.bench.ContiguousKvBench;
import dev.euclid.cli.bench.SpeculationBench;
import java.nio.file.Path;
import dev.euclid.cli.bench.BenchResult;
import dev.euclid.cli.bench.BenchSettings;
import dev.euclid.cli.bench.EuclidBench;
import dev.euclid.synthetic.SyntheticModels;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure prefill and decode tokens/s for one model and setting.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "PATH", description = "Engine file, checkpoint, or synthetic:SHAPE (required without --compare)")
    String model;

    @Option(names = "--weights", paramLabel = "P", description = EngineArgs.WEIGHTS_HELP)
    Precision weights;

    int threads;
    List<Integer> threadCounts;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "D", description = EngineArgs.DEVICE_HELP)
    Device device;

    @Option(names = "--activations", defaultValue = "fp32", paramLabel = "A", description = EngineArgs.ACTIVATIONS_HELP)
    Activations activations;

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

    @Option(names = "--replay-accept-rate", defaultValue = "0.6",
            description = "With --speculative replay: probability each replayed draft token is right (default ${DEFAULT-VALUE})")
    double replayAcceptRate;

    @Option(names = "--verify-curve", paramLabel = "K",
            description = "Print the cost of a step verifying k = 1..K tokens against a one-token decode step")
    int verifyCurve;

    @Option(names = "--bandwidth", description = "Also measure memory bandwidth (1 GiB streaming read; with --device cuda, 1 GiB device-to-device"
            + " copies) right before and after the runs, and decode's share of the better probe")
    boolean bandwidth;

    @Option(names = "--peak", description = "Also measure this machine's arithmetic peak (FP32 FMA, the kernels' instruction) "
            + "and print decode's GFLOP/s as a fraction of it")
    boolean peak;

    @Option(names = "--llama-cpp", arity = "0..1", fallbackValue = "", paramLabel = "SHAPE",
            description = "Also run llama.cpp on synthetic SHAPE's GGUF with batch x samples parallel slots and print "
                    + "Euclid / llama.cpp (SHAPE defaults to that of --model synthetic:SHAPE)")
    String llamaCpp;

    @Option(names = "--vs-contiguous-kv", description = "Also run the same requests on an engine whose KV blocks hold a whole "
            + "sequence (the contiguous cache), runs alternating, and print the paged / contiguous decode rate ratio")
    boolean vsContiguousKv;

    @Option(names = "--json", description = "Print one JSON object")
    boolean json;

    @Mixin CompareArgs compare;

    @Override
    public Integer call() {
        if (compare.enabled) return compare.run(model, threadCounts, promptTokens, genTokens, runs, json);
        if (model == null) throw new UsageException("--model is required (or --compare)");
        if (threadCounts.size() > 1) throw new UsageException("--threads takes one count without --compare");
        Path path = ModelArgument.resolve(model);
        Precision precision = ModelArgument.weights(path, weights);
        if (verifyCurve > 0 || !speculation.mode.equals("off")) return speculative(path, precision);
        BenchSettings s = new BenchSettings(model, precision, threads, batch, promptTokens, genTokens, runs,
                samples, kv.options(), Speculation.off(), null, speculation.speculativeStepTokens, activations, device);
        if (vsContiguousKv) return contiguousKv(path, s);
        // Probed beside the runs: a shared machine's bandwidth moves too much for a probe taken at another time.
        double bandwidthBefore = bandwidth ? memoryBandwidth(threads > 0 ? threads : Runtime.getRuntime().availableProcessors()) : 0;
        BenchResult r;
        BatchedDecodeBench batched = null;
        try (LazyProgressBar bar = progressBar()) {
            if (peak || llamaCpp != null) {
                batched = BatchedDecodeBench.run(path, s, peak, llamaShape(), bar::stepTo);
                r = batched.euclid();
            } else {
                r = EuclidBench.run(path, s, bar::stepTo);
            }
        }
        if (bandwidth) r = r.withMemoryBandwidth(Math.max(bandwidthBefore, memoryBandwidth(r.settings().threads())));
        if (json) {
            var o = r.toJson(new ObjectMapper());
            if (batched != null) batched.addTo(o);
            System.out.println(o.toString());
        } else {
            System.out.printf("%s  weights %s  activations %s  threads %d  prompt %d  gen %d%n", model,
                    r.settings().weights().wireName(), activations.wireName(), r.settings().threads(), promptTokens, genTokens);
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
        return ExitCode.OK;
    }

    /** On a GPU its memory's bandwidth (device-to-device copies); else this machine's (streaming reads by `threads` threads). */
    private double memoryBandwidth(int threads) {
        return device.kind() == Device.Kind.CUDA ? Diagnostics.cudaCopyBandwidth(device.index(), 1L << 30)
                : Diagnostics.memoryReadBandwidth(1L << 30, threads);
    }

    /** Runs (the warm-up included) done so far; drawn from the warm-up's end, once the model and settings worked. */
    private LazyProgressBar progressBar() {
        return new LazyProgressBar("bench", runs + 1L);
    }

    /** Paged against contiguous KV decode, runs alternating between two engines. */
    private int contiguousKv(Path path, BenchSettings s) {
        ObjectNode r;
        try (LazyProgressBar bar = progressBar()) {
            r = ContiguousKvBench.run(path, s, bar::stepTo);
        }
        if (json) {
            System.out.println(r);
        } else {
            System.out.printf("%s  weights %s  threads %d  prompt %d  gen %d  KV %s%n", model, r.get("weights").asText(),
                    r.get("threads").asInt(), promptTokens, genTokens, r.get("kv_dtype").asText());
            System.out.printf("decode %.2f tok/s with %d-token KV blocks, %.2f tok/s with one %d-token block per sequence: "
                    + "%.3fx (median of %d alternating pairs)%n", r.get("decode_tokens_per_s").asDouble(),
                    r.get("kv_block_tokens").asInt(), r.get("contiguous_decode_tokens_per_s").asDouble(),
                    r.get("contiguous_kv_block_tokens").asInt(), r.get("decode_ratio_vs_contiguous").asDouble(), runs);
        }
        return ExitCode.OK;
    }

    /** Speculative decoding against plain decoding in one run, or the verification cost curve. */
    private int speculative(Path path, Precision precision) {
        if (samples != 1) throw new UsageException("speculative benchmarks run one sample per request (use --batch)");
        BenchSettings s = new BenchSettings(model, precision, threads, batch, promptTokens, genTokens, runs,
                1, kv.options(), speculation.replay() ? Speculation.off() : speculation.speculation(), speculation.drafter,
                speculation.speculativeStepTokens, activations, device);
        ObjectNode r = verifyCurve > 0 ? SpeculationBench.verifyCurve(path, s, verifyCurve)
                : speculation.replay() ? SpeculationBench.replaySpeedup(path, s, speculation.draftTokens, replayAcceptRate)
                : SpeculationBench.speedup(path, s);
        if (json) {
            System.out.println(r);
        } else if (verifyCurve > 0) {
            System.out.printf("%s  weights %s  threads %d  batch %d: step verifying k tokens / one-token step%n", model,
                    r.get("weights").asText(), r.get("threads").asInt(), batch);
            for (var p : r.get("verify_cost")) System.out.printf("k=%2d  %.3fx%n", p.get("k").asInt(), p.get("step_time_ratio").asDouble());
        } else {
            System.out.printf("%s  weights %s  threads %d  batch %d  %s, %d draft tokens x %d beams%n", model,
                    r.get("weights").asText(), r.get("threads").asInt(), batch, r.get("speculative").asText(),
                    r.get("draft_tokens").asInt(), r.get("beams").asInt());
            System.out.printf("decode %.2f tok/s plain, %.2f tok/s speculative: %.2fx  (%.2f tokens per verification step)%n",
                    r.get("plain_decode_tokens_per_s").asDouble(), r.get("speculative_decode_tokens_per_s").asDouble(),
                    r.get("speedup").asDouble(), r.get("mean_accepted_tokens_per_step").asDouble());
        }
        return ExitCode.OK;
    }

    /** The synthetic shape llama.cpp runs: --llama-cpp SHAPE, else that of --model synthetic:SHAPE; null without --llama-cpp. */
    private String llamaShape() {
        if (llamaCpp == null) return null;
        if (!llamaCpp.isEmpty()) return llamaCpp;
        if (model.startsWith(SyntheticModels.PREFIX)) return model.substring(SyntheticModels.PREFIX.length());
        throw new UsageException("--llama-cpp needs a shape (--llama-cpp qwen0.5b) when --model is not synthetic:SHAPE");
    }
}
