package dev.euclid.solver.model;

import java.util.List;

/**
 * How one turn of a sample is generated.
 *
 * @param maxTokens tokens one turn may generate at most (the model's context also ends it)
 * @param temperature 0 = greedy
 * @param topP nucleus sampling, 1 = off
 * @param stops texts that end the turn (a tool call's end); the match stays in the turn's text
 */
public record Decoding(int maxTokens, float temperature, float topP, List<String> stops) {
    public Decoding {
        if (maxTokens <= 0) throw new IllegalArgumentException("maxTokens must be > 0, got " + maxTokens);
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        stops = List.copyOf(stops);
    }
}
