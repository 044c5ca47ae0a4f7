package dev.euclid.consumercheck;

import dev.euclid.Completion;
import dev.euclid.Engine;
import dev.euclid.Request;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

/** What a first program with Euclid does: open a model, generate greedily, read the ids. */
public final class GreedyStory {
    private GreedyStory() {
    }

    /** The prompt's ids followed by {@code maxTokens} greedily generated ids. */
    public static int[] promptAndGreedyIds(Path model, String prompt, int maxTokens) {
        try (Engine engine = Engine.open(model)) {
            Completion c = engine.generate(Request.builder().prompt(prompt).maxTokens(maxTokens).build());
            return IntStream.concat(Arrays.stream(c.promptTokenIds()), Arrays.stream(c.tokenIds())).toArray();
        }
    }
}
