package dev.euclid.cli;

import dev.euclid.Activations;
import dev.euclid.Device;
import dev.euclid.DownloadProgress;
import dev.euclid.Engine;
import dev.euclid.EngineBuilder;
import dev.euclid.EngineOptions;
import dev.euclid.HubOptions;
import dev.euclid.KvOptions;
import dev.euclid.Models;
import dev.euclid.Precision;
import dev.euclid.synthetic.SyntheticModels;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The CLI's --model (a path, synthetic:SHAPE generated on first use, or hf:ORG/NAME[@REV][#GGUF-PATTERN]
 * fetched from the Hugging Face hub — HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_OFFLINE as huggingface_hub
 * reads them — with a progress bar per file on stderr) and its --weights.
 */
final class ModelArgument {
    private ModelArgument() {}

    static Path resolve(String model) {
        if (Models.isHubId(model)) {
            try (DownloadBars bars = new DownloadBars()) {
                return Models.resolve(model, HubOptions.fromEnvironment().withProgress(bars));
            }
        }
        if (!SyntheticModels.isSyntheticName(model)) return Path.of(model);
        try {
            return SyntheticModels.resolve(model);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--model " + model + ": " + e.getMessage());
        }
    }

    /**
     * The precision a checkpoint is converted to: {@code --weights}, else null (the checkpoint's own,
     * EngineOptions#weights). An engine file keeps the precision it was built with, so --weights with
     * one is refused rather than ignored.
     */
    static Precision weights(Path model, Precision requested) {
        if (requested == null) return null;
        if (EngineBuilder.isEngineFile(model)) {
            throw new UsageException("--weights " + requested.wireName() + " converts checkpoints, but " + model
                    + " is an engine file, whose weights stay in the precision it was built with (drop --weights,"
                    + " or build another engine file)");
        }
        return requested;
    }

    static Engine open(Path model, Path tokenizer, int threads, Precision weights, Activations activations, Device device,
            KvOptions kv, int speculativeStepTokens, boolean mappedWeights) {
        return Engine.open(model, EngineOptions.defaults().withThreads(threads).withTokenizer(tokenizer)
                .withWeights(weights).withActivations(activations).withKv(kv).withSpeculativeStepTokens(speculativeStepTokens)
                .withDevice(device).withMappedWeights(mappedWeights));
    }

    /** One bar per file (in KiB below a MiB, else MiB), started when the file's first progress report arrives. */
    private static final class DownloadBars implements DownloadProgress, AutoCloseable {
        private String file;
        private ProgressBar bar;

        @Override
        public void update(String path, long bytesDone, long bytesTotal) {
            if (!path.equals(file)) {
                close();
                file = path;
                boolean large = bytesTotal >= 1 << 20;
                bar = new ProgressBarBuilder().setTaskName(path).setInitialMax(bytesTotal)
                        .setUnit(large ? "MiB" : "KiB", large ? 1 << 20 : 1 << 10)
                        .showSpeed().setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .build();
            }
            bar.stepTo(bytesDone);
        }

        @Override
        public void close() {
            if (bar != null) bar.close();
            bar = null;
            file = null;
        }
    }
}
