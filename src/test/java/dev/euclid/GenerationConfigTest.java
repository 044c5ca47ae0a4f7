package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.synthetic.DType;
import dev.euclid.synthetic.ModelShape;
import dev.euclid.testing.SyntheticHfFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * generation_config.json: its eos_token_ids become the default stop tokens, and its sampling (when
 * do_sample is true) the sampling of requests that name none, as transformers' generate() does.
 */
class GenerationConfigTest {
    private static final int[] PROMPT = {1, 17, 42, 99};
    private static final int MAX_TOKENS = 40;

    @TempDir Path tmp;

    private Path model(String generationConfig) throws IOException {
        Path dir = SyntheticHfFolder.write(tmp.resolve("model"), ModelShape.named("tiny"), 9, DType.F32, 1, Map.of(),
                false);
        if (generationConfig != null) Files.writeString(dir.resolve("generation_config.json"), generationConfig);
        return dir;
    }

    private static int[] generate(Engine engine, Sampling sampling) {
        Request.Builder b = Request.builder().promptTokens(PROMPT).maxTokens(MAX_TOKENS).stopTokenIds();
        if (sampling != null) b.sampling(sampling);
        return engine.generate(b.build()).tokenIds();
    }

    @Test
    void sampledDefaultsApplyToRequestsWithoutSampling() throws IOException {
        Path dir = model("{\"bos_token_id\": 1, \"eos_token_id\": [5, 7], \"do_sample\": true, \"temperature\": 0.7,"
                + " \"top_p\": 0.9, \"top_k\": 20}");
        Sampling same = Sampling.builder().temperature(0.7f).topP(0.9f).topK(20).build();
        Path file = EngineBuilder.from(dir).weights(Precision.FP32).build(tmp.resolve("model.euclid"));
        for (Path path : new Path[] {dir, file}) {
            try (Engine engine = Engine.open(path)) {
                assertArrayEquals(new int[] {5, 7}, engine.defaultStopTokenIds(), path + ": stop ids");
                Sampling d = engine.defaultSampling();
                assertEquals(0.7f, d.temperature(), path + ": temperature");
                assertEquals(0.9f, d.topP(), path + ": top_p");
                assertEquals(20, d.topK(), path + ": top_k");
                int[] byDefault = generate(engine, null);
                assertArrayEquals(generate(engine, same), byDefault, path + ": the default is that sampling");
                int[] greedy = generate(engine, Sampling.greedy());
                assertFalse(java.util.Arrays.equals(greedy, byDefault), path + ": a given sampling wins over the default");
                assertEquals(MAX_TOKENS, byDefault.length);
            }
        }
    }

    @Test
    void doSampleFalseMeansGreedyAndTransformersDefaultsFillTheRest() throws IOException {
        try (Engine engine = Engine.open(model("{\"eos_token_id\": 3, \"temperature\": 0.6, \"top_p\": 0.5}"))) {
            assertArrayEquals(new int[] {3}, engine.defaultStopTokenIds());
            assertTrue(engine.defaultSampling().isGreedy(), "without do_sample generate() is greedy");
            assertArrayEquals(generate(engine, Sampling.greedy()), generate(engine, null));
        }
        // do_sample alone: transformers' temperature 1.0, top_k 50, top_p 1.0.
        try (Engine engine = Engine.open(model("{\"do_sample\": true}"))) {
            Sampling d = engine.defaultSampling();
            assertEquals(1.0f, d.temperature());
            assertEquals(50, d.topK());
            assertEquals(1.0f, d.topP());
            assertArrayEquals(new int[] {299}, engine.defaultStopTokenIds(), "config.json's eos_token_id remains");
        }
    }

    @Test
    void withoutGenerationConfigTheStopsComeFromConfigJson() throws IOException {
        try (Engine engine = Engine.open(model(null))) {
            assertArrayEquals(new int[] {299}, engine.defaultStopTokenIds());
            assertTrue(engine.defaultSampling().isGreedy());
        }
    }
}
