package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.euclid.testing.SharedModels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Results do not depend on the thread count or on how a prompt is chunked (bitwise). */
class DeterminismTest {
    /**
     * Every weight precision: chunks of 1, 5 and 128 tokens run the matmul kernels on different tiles
     * (6 tokens wide on AVX-512, 2 on AVX2, 1 on the scalar path, and narrower tiles for the
     * remainder; each widens narrow weights per tile), and threads split the rows differently; every
     * output must still be reduced in the same order, bit for bit.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void logitsAreBitIdenticalAcrossThreadsAndChunking(Precision weights) {
        int[] tokens = {1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401};
        float[][] reference;
        try (Engine e = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults().withThreads(1).withMaxTokensPerStep(128).withWeights(weights))) {
            reference = e.logits(tokens);
        }
        for (int threads : new int[] {2, 3}) {
            for (int chunk : new int[] {1, 5, 128}) {
                try (Engine e = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                        EngineOptions.defaults().withThreads(threads).withMaxTokensPerStep(chunk).withWeights(weights))) {
                    float[][] got = e.logits(tokens);
                    for (int t = 0; t < tokens.length; t++) {
                        assertArrayEquals(reference[t], got[t], 0f, weights + ", threads " + threads + ", chunk " + chunk + ", row " + t);
                    }
                }
            }
        }
    }
}
