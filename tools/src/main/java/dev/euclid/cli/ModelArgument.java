package dev.euclid.cli;

import dev.euclid.Engine;
import dev.euclid.EngineBuilder;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.Precision;
import dev.euclid.synthetic.SyntheticModels;
import java.nio.file.Path;

/** The CLI's --model (a path, or synthetic:SHAPE generated on first use) and its --weights. */
final class ModelArgument {
    private ModelArgument() {}

    static Path resolve(String model) {
        if (!SyntheticModels.isSyntheticName(model)) return Path.of(model);
        try {
            return SyntheticModels.resolve(model);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--model " + model + ": " + e.getMessage());
        }
    }

    /**
     * The precision a checkpoint is converted to: {@code --weights}, else FP32. An engine file keeps
     * the precision it was built with, so --weights with one is refused rather than ignored.
     */
    static Precision weights(Path model, Precision requested) {
        if (requested == null) return Precision.FP32;
        if (EngineBuilder.isEngineFile(model)) {
            throw new UsageException("--weights " + requested.wireName() + " converts checkpoints, but " + model
                    + " is an engine file, whose weights stay in the precision it was built with (drop --weights,"
                    + " or build another engine file)");
        }
        return requested;
    }

    static Engine open(Path model, Path tokenizer, int threads, Precision weights, KvOptions kv, int speculativeStepTokens) {
        return Engine.open(model, EngineOptions.defaults().withThreads(threads).withTokenizer(tokenizer)
                .withWeights(weights).withKv(kv).withSpeculativeStepTokens(speculativeStepTokens));
    }
}
