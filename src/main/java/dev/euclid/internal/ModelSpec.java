package dev.euclid.internal;

import dev.euclid.ModelInfo;
import dev.euclid.Tokenizer;
import java.util.List;

/**
 * Everything a format reader found in a checkpoint: the architecture, where each tensor is, the
 * tokenizer (and the bytes it was made from) and the tokens that end generation by default.
 * Format readers only describe; {@link NativeModel} checks the ranges against the files and loads.
 */
public record ModelSpec(ModelInfo info, List<TensorSource> tensors, TokenizerSource tokenizerSource,
        Tokenizer tokenizer, int[] defaultStopIds) {

    public static ModelSpec of(ModelInfo info, List<TensorSource> tensors, TokenizerSource tokenizerSource,
            int[] defaultStopIds) {
        return new ModelSpec(info, tensors, tokenizerSource, tokenizerSource.load(), defaultStopIds);
    }
}
