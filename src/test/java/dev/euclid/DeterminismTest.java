package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.euclid.testing.SharedModels;
import org.junit.jupiter.api.Test;

/** Results do not depend on the thread count or on how a prompt is chunked (bitwise). */
class DeterminismTest {
    @Test
    void logitsAreBitIdenticalAcrossThreadsAndChunking() {
        int[] tokens = {1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401};
        float[][] reference;
        try (Engine e = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults().withThreads(1).withPrefillChunk(128))) {
            reference = e.logits(tokens);
        }
        for (int threads : new int[] {2, 3}) {
            for (int chunk : new int[] {1, 5, 128}) {
                try (Engine e = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                        EngineOptions.defaults().withThreads(threads).withPrefillChunk(chunk))) {
                    float[][] got = e.logits(tokens);
                    for (int t = 0; t < tokens.length; t++) {
                        assertArrayEquals(reference[t], got[t], 0f, "threads " + threads + ", chunk " + chunk + ", row " + t);
                    }
                }
            }
        }
    }
}
