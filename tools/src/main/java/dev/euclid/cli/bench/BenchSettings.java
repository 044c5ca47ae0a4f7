package dev.euclid.cli.bench;

import dev.euclid.Activations;
import dev.euclid.Device;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.Precision;
import dev.euclid.Speculation;

/**
 * One benchmark configuration.
 *
 * @param model a path or synthetic:SHAPE
 * @param runs measured repetitions (the median is reported) after one warm-up run
 * @param samples samples of the prompt per run (they share its KV blocks)
 * @param kv KV cache settings (prefix caching is always off: every run repeats the prompt)
 * @param speculation how requests draft tokens (speculative decoding)
 * @param drafter the drafter file for {@link Speculation.Kind#REDRAFTER}, else null
 * @param speculativeStepTokens tokens a step may verify, drafts included (EngineOptions)
 * @param activations how the matrix products take their input (EngineOptions)
 * @param device where the forward pass runs (EngineOptions)
 */
public record BenchSettings(String model, Precision weights, int threads, int batch, int promptTokens, int genTokens,
        int runs, int samples, KvOptions kv, Speculation speculation, java.nio.file.Path drafter,
        int speculativeStepTokens, Activations activations, Device device) {
    public BenchSettings {
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        if (promptTokens < 1) throw new IllegalArgumentException("promptTokens must be >= 1, got " + promptTokens);
        if (genTokens < 2) throw new IllegalArgumentException("genTokens must be >= 2, got " + genTokens);
        if (runs < 1) throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        java.util.Objects.requireNonNull(speculation, "speculation");
        java.util.Objects.requireNonNull(activations, "activations");
        java.util.Objects.requireNonNull(device, "device");
    }

    /**
     * Engine options for these settings: threads, weights, activations, device and KV, prefix caching off
     * (every run repeats its prompt, and must compute it).
     */
    public EngineOptions engineOptions() {
        return EngineOptions.defaults().withThreads(threads).withWeights(weights).withActivations(activations)
                .withKv(kv.withPrefixCaching(false)).withDevice(device);
    }

    public BenchSettings withKv(KvOptions kv) {
        return new BenchSettings(model, weights, threads, batch, promptTokens, genTokens, runs, samples, kv, speculation,
                drafter, speculativeStepTokens, activations, device);
    }

    /** These settings as they ran: engine files keep their own precision, threads 0 means all cores. */
    public BenchSettings ran(Precision weights, int threads) {
        return new BenchSettings(model, weights, threads, batch, promptTokens, genTokens, runs, samples, kv, speculation,
                drafter, speculativeStepTokens, activations, device);
    }
}
