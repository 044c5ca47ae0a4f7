package dev.euclid.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.euclid.ModelInfo;
import dev.euclid.RopeLayout;
import org.junit.jupiter.api.Test;

class DecodeFlopsTest {
    // The Qwen2.5-0.5B-like synthetic shape: dim 896, ffn 4864, 24 layers, 14 heads, 2 KV heads of 64, vocab 32000, tied.
    private static final ModelInfo QWEN = new ModelInfo("Qwen2ForCausalLM", 896, 4864, 24, 14, 2, 64, 32000, 4096, 1e-6f,
            1e6f, RopeLayout.HALF, true, true);

    @Test
    void matrixWeightsAreTheProjectionsAndTheHeadWorkedOutByHand() {
        // per layer: q 896x896, k and v 128x896 each, o 896x896, gate/up/down 3 x 4864x896
        long perLayer = 896L * 896 + 2L * 128 * 896 + 896L * 896 + 3L * 4864 * 896;
        assertEquals(perLayer * 24 + 32000L * 896, DecodeFlops.matrixWeights(QWEN));
        assertEquals(386_498_560L, DecodeFlops.matrixWeights(QWEN));
    }

    @Test
    void matrixWeightsMatchTheParameterCountLessNormsBiasesAndTheLookedUpEmbedding() {
        long norms = 2L * 896 * 24 + 896, biases = (896L + 2 * 128) * 24;
        // Tied: the embedding is counted once in parameterCount and once here, as the LM head.
        assertEquals(QWEN.parameterCount() - norms - biases, DecodeFlops.matrixWeights(QWEN));
    }

    @Test
    void attentionIsFourFlopsPerLayerContextPositionAndQueryComponent() {
        assertEquals(4.0 * 24 * 1000 * 896, DecodeFlops.attention(QWEN, 1000));
        assertEquals(2.0 * DecodeFlops.matrixWeights(QWEN) + 4.0 * 24 * 160 * 896, DecodeFlops.perToken(QWEN, 160));
    }
}
