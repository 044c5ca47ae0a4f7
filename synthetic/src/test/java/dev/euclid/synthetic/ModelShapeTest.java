package dev.euclid.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelShapeTest {

    @Test
    void presetsHaveTheAdvertisedGeometry() {
        ModelShape m110 = ModelShape.named("110m");
        assertEquals(new ModelShape(ModelShape.LLAMA, 768, 2048, 12, 12, 12, 64, 32000, 2048, 10000.0, 1e-5,
                false, false), m110);

        ModelShape qwen = ModelShape.named("qwen0.5b");
        assertEquals(ModelShape.QWEN2, qwen.architecture());
        assertEquals(896, qwen.dim());
        assertEquals(4864, qwen.ffn());
        assertEquals(24, qwen.layers());
        assertEquals(14, qwen.heads());
        assertEquals(2, qwen.kvHeads());
        assertEquals(64, qwen.headDim());
        assertEquals(32000, qwen.vocab());
        assertEquals(4096, qwen.maxSeq());
        assertEquals(1e6, qwen.ropeTheta());
        assertTrue(qwen.qkvBias());
        assertTrue(qwen.tiedEmbeddings());

        ModelShape b1 = ModelShape.named("1b");
        assertEquals(new ModelShape(ModelShape.LLAMA, 2048, 8192, 16, 32, 8, 64, 32000, 4096, 500000.0, 1e-5,
                false, false), b1);

        ModelShape tiny = ModelShape.named("tiny");
        assertEquals(ModelShape.LLAMA, tiny.architecture());
        assertEquals(64, tiny.dim());
        assertEquals(2, tiny.layers());
        assertEquals(4, tiny.heads());
        assertEquals(2, tiny.kvHeads());
        assertEquals(96, tiny.ffn());
        assertEquals(300, tiny.vocab());
        assertEquals(128, tiny.maxSeq());
        assertEquals(16, tiny.headDim());

        ModelShape tq = ModelShape.named("tiny-qwen");
        assertTrue(tq.qkvBias());
        assertTrue(tq.tiedEmbeddings());
    }

    @Test
    void unknownNameListsKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelShape.named("7b"));
        for (String name : new String[] {"110m", "qwen0.5b", "1b", "tiny", "tiny-qwen"}) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ModelShape.named(null));
    }

    @Test
    void parameterCountMatchesTheTensorLayout() {
        for (String name : ModelShape.presetNames()) {
            ModelShape s = ModelShape.named(name);
            long sum = HfTensorLayout.specs(s).stream().mapToLong(TensorSpec::numel).sum();
            assertEquals(sum, s.parameterCount(), name);
        }
        // Hand-computed: embedding + 16 x (q,k,v,o + gate,up,down + 2 norms) + final norm + lm_head.
        assertEquals(1_104_218_112L, ModelShape.named("1b").parameterCount());
        assertEquals(134_105_856L, ModelShape.named("110m").parameterCount());
    }

    @Test
    void rejectsInvalidShapes() {
        assertThrows(IllegalArgumentException.class, () -> shape(ModelShape.LLAMA, 64, 6, 4, 16, false));   // 6 % 4
        assertThrows(IllegalArgumentException.class, () -> shape(ModelShape.LLAMA, 0, 4, 2, 16, false));
        assertThrows(IllegalArgumentException.class, () -> shape(ModelShape.LLAMA, 64, 4, 0, 16, false));
        assertThrows(IllegalArgumentException.class, () -> shape(ModelShape.LLAMA, 64, 4, 2, 15, false));   // odd head
        assertThrows(IllegalArgumentException.class, () -> shape("GPT2LMHeadModel", 64, 4, 2, 16, false));
        assertThrows(IllegalArgumentException.class, () -> shape(ModelShape.QWEN2, 64, 4, 2, 16, false));   // needs bias
        assertThrows(IllegalArgumentException.class, () -> shape(ModelShape.MISTRAL, 64, 4, 2, 16, true)); // no bias
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 2, 16,
                300, 128, 0.0, 1e-5, false, false));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(ModelShape.LLAMA, 64, 96, 2, 4, 2, 16,
                300, 128, 1e4, Double.NaN, false, false));
        assertThrows(IllegalArgumentException.class, () -> new ModelShape(ModelShape.LLAMA, 65536, 96, 2, 4, 2, 16,
                65536, 128, 1e4, 1e-5, false, false)); // embedding too large for one array
        // headDim may differ from dim/heads in HF (only llama2.c refuses it).
        assertFalse(shape(ModelShape.LLAMA, 64, 4, 2, 32, true).tiedEmbeddings());
    }

    private static ModelShape shape(String arch, int dim, int heads, int kv, int hd, boolean bias) {
        return new ModelShape(arch, dim, 96, 2, heads, kv, hd, 300, 128, 1e4, 1e-5, bias, false);
    }
}
