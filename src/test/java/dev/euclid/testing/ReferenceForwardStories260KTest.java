package dev.euclid.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.synthetic.HfConfigJson;
import dev.euclid.synthetic.ModelShape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Validates {@link ReferenceForward} itself against llama2.c ground truth on the real stories260K
 * weights, in both RoPE layouts: the HF folder (rotate_half) and the original .bin (interleaved).
 * Other tests trust ReferenceForward, so this is the anchor.
 */
class ReferenceForwardStories260KTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ReferenceForward hfModel() throws IOException {
        Path dir = SharedModels.models().resolve("stories260K-hf");
        ModelShape shape = HfConfigJson.toShape(SafetensorsTestReader.readConfig(dir));
        Map<String, float[]> weights = SafetensorsTestReader.readFolder(dir);
        return new ReferenceForward(shape, weights, ReferenceForward.RopeLayout.ROTATE_HALF);
    }

    private static ReferenceForward llama2cModel() throws IOException {
        Path bin = SharedModels.models().resolve("stories260K/stories260K.bin");
        Llama2cTestReader.Checkpoint ck = Llama2cTestReader.read(bin, 10000.0, 1e-5);
        return new ReferenceForward(ck.shape(), ck.weights(), ReferenceForward.RopeLayout.INTERLEAVED);
    }

    private static Path reference(String file) {
        return SharedModels.models().resolve("stories260K/reference").resolve(file);
    }

    @Test
    void hfShapeMatchesReadme() throws IOException {
        ModelShape shape = HfConfigJson.toShape(SafetensorsTestReader.readConfig(SharedModels.models().resolve("stories260K-hf")));
        assertEquals(new ModelShape(ModelShape.LLAMA, 64, 172, 5, 8, 4, 8, 512, 512, 10000.0, 1e-5, false, true), shape);
    }

    @Test
    void logitsMatchReferenceInBothLayouts() throws IOException {
        JsonNode meta = JSON.readTree(reference("logits_once_upon_a_time.json").toFile());
        int[] ids = ints(meta.get("input_ids"));
        int[] argmaxNext = ints(meta.get("argmax_next"));
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(reference("logits_once_upon_a_time.f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[][] expected = new float[ids.length][512];
        for (float[] row : expected) {
            bb.asFloatBuffer().get(row);
            bb.position(bb.position() + 4 * row.length);
        }
        for (ReferenceForward model : new ReferenceForward[] {hfModel(), llama2cModel()}) {
            float[][] got = model.logits(ids);
            double maxDiff = 0;
            for (int t = 0; t < ids.length; t++) {
                for (int v = 0; v < 512; v++) {
                    maxDiff = Math.max(maxDiff, Math.abs(got[t][v] - expected[t][v]));
                }
                assertEquals(argmaxNext[t], ReferenceForward.argmax(got[t]), "argmax at position " + t);
            }
            assertTrue(maxDiff < 1e-4, "max |logit diff| " + maxDiff);
        }
    }

    @Test
    void greedyMatchesRunC() throws IOException {
        JsonNode all = JSON.readTree(reference("greedy.json").toFile());
        ReferenceForward hf = hfModel();
        ReferenceForward l2c = llama2cModel();
        for (JsonNode gen : all) {
            int[] ids = ints(gen.get("token_ids"));
            int nPrompt = gen.get("n_prompt_tokens").asInt();
            int[] prompt = Arrays.copyOf(ids, nPrompt);
            int[] expected = Arrays.copyOfRange(ids, nPrompt, ids.length);
            assertArrayEquals(expected, hf.greedy(prompt, expected.length), "HF layout, " + gen.get("prompt"));
            assertArrayEquals(expected, l2c.greedy(prompt, expected.length), "llama2.c layout, " + gen.get("prompt"));
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
