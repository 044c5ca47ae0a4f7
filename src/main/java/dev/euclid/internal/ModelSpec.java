package dev.euclid.internal;

import dev.euclid.ModelInfo;
import dev.euclid.Sampling;
import dev.euclid.Tokenizer;
import java.util.List;

/**
 * Everything a format reader found in a checkpoint: the architecture, where each tensor is, the
 * tokenizer (and the bytes it was made from), the tokens that end generation by default and the
 * sampling used when a request names none (a Hugging Face generation_config.json; else greedy).
 * Format readers only describe; {@link NativeModel} checks the ranges against the files and loads.
 */
public record ModelSpec(ModelInfo info, List<TensorLocation> tensors, TokenizerSource tokenizerSource,
        Tokenizer tokenizer, int[] defaultStopIds, Sampling defaultSampling) {

    /** A checkpoint without default sampling: greedy. */
    public ModelSpec(ModelInfo info, List<TensorLocation> tensors, TokenizerSource tokenizerSource, Tokenizer tokenizer,
            int[] defaultStopIds) {
        this(info, tensors, tokenizerSource, tokenizer, defaultStopIds, Sampling.greedy());
    }

    public static ModelSpec of(ModelInfo info, List<TensorLocation> tensors, TokenizerSource tokenizerSource,
            int[] defaultStopIds) {
        return new ModelSpec(info, tensors, tokenizerSource, tokenizerSource.load(), defaultStopIds);
    }
}
