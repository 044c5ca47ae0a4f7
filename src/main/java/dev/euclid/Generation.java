package dev.euclid;

import java.util.List;

/**
 * All samples of one request: {@code samples().get(i)} is sample i, drawn with seed
 * {@code sampling.seed() + i}. The samples share the prompt's KV blocks.
 */
public record Generation(int[] promptTokenIds, List<Completion> samples) {
    public Generation {
        samples = List.copyOf(samples);
    }
}
