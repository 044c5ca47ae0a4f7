package dev.euclid.internal;

import dev.euclid.ModelFormatException;
import dev.euclid.Tokenizer;
import dev.euclid.tokenizer.HfTokenizer;
import dev.euclid.tokenizer.Llama2cTokenizer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a tokenizer is made from, kept so that an engine file can carry them and recreate
 * the same tokenizer: a llama2.c tokenizer.bin, or a tokenizer.json (+ tokenizer_config.json).
 *
 * @param config tokenizer_config.json bytes for {@link Kind#HF_JSON}, or null
 * @param vocabSize the model's vocabulary size (llama2.c files do not store it)
 * @param origin where the bytes came from, for error messages
 */
public record TokenizerSource(Kind kind, byte[] data, byte[] config, int vocabSize, String origin) {
    public enum Kind { LLAMA2C, HF_JSON }

    public Tokenizer load() {
        try {
            return switch (kind) {
                case LLAMA2C -> Llama2cTokenizer.fromBytes(data, vocabSize, origin);
                case HF_JSON -> HfTokenizer.fromJson(new String(data, StandardCharsets.UTF_8),
                        config == null ? null : new String(config, StandardCharsets.UTF_8));
            };
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(origin + ": " + e.getMessage(), e);
        }
    }
}
