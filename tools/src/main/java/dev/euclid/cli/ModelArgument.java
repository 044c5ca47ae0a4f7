package dev.euclid.cli;

import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.Precision;
import dev.euclid.synthetic.SyntheticModels;
import java.nio.file.Path;

/** The CLI's --model: a path, or synthetic:SHAPE generated on first use. */
final class ModelArgument {
    private ModelArgument() {}

    static Path resolve(String model) {
        return SyntheticModels.isSyntheticName(model) ? SyntheticModels.resolve(model) : Path.of(model);
    }

    static Engine open(String model, Path tokenizer, int threads, Precision weights, KvOptions kv, int speculativeStepTokens) {
        return Engine.open(resolve(model), EngineOptions.defaults().withThreads(threads).withTokenizer(tokenizer)
                .withWeights(weights).withKv(kv).withSpeculativeStepTokens(speculativeStepTokens));
    }
}
