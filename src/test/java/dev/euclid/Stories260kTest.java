package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real trained model against llama2.c's ground truth, in each of its formats. */
class Stories260kTest {
    private static final List<Engine> ENGINES = new ArrayList<>();
    private static JsonNode greedy;

    @BeforeAll
    static void loadReference() throws IOException {
        greedy = new ObjectMapper().readTree(SharedModels.models().resolve("stories260K/reference/greedy.json").toFile());
    }

    @AfterAll
    static void closeEngines() {
        ENGINES.forEach(Engine::close);
    }

    static Stream<Arguments> engines() {
        Path models = SharedModels.models();
        Engine llama2c = Engine.open(models.resolve("stories260K/stories260K.bin"));
        Engine hf = Engine.open(models.resolve("stories260K-hf"));
        Engine gguf = Engine.open(models.resolve("stories260K-gguf/stories260K-f32.gguf"));
        ENGINES.add(llama2c);
        ENGINES.add(hf);
        ENGINES.add(gguf);
        return Stream.of(Arguments.of("llama2.c", llama2c), Arguments.of("hf", hf), Arguments.of("gguf", gguf));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void greedyGenerationReproducesEveryReferenceToken(String format, Engine engine) {
        for (JsonNode ref : greedy) {
            int[] expected = ids(ref.get("token_ids"));
            int nPrompt = ref.get("n_prompt_tokens").asInt();
            int[] prompt = engine.tokenizer().encode(ref.get("prompt").asText());
            assertArrayEquals(java.util.Arrays.copyOf(expected, nPrompt), prompt, format + ": prompt ids");

            Completion c = engine.generate(Request.builder().prompt(ref.get("prompt").asText())
                    .maxTokens(expected.length - nPrompt).build());
            int[] all = concat(c.promptTokenIds(), c.tokenIds());
            assertArrayEquals(expected, all, format + ": greedy ids for \"" + ref.get("prompt").asText() + "\"");
            assertEquals(FinishReason.LENGTH, c.finishReason());
            String text = ref.get("prompt").asText() + c.text();
            assertEquals(ref.get("text").asText(), text, format + ": decoded text");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void logitsMatchTheReferenceWithin1e4(String format, Engine engine) throws IOException {
        Path dir = SharedModels.models().resolve("stories260K/reference");
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("logits_once_upon_a_time.json").toFile());
        int[] input = ids(meta.get("input_ids"));
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("logits_once_upon_a_time.f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[][] logits = engine.logits(input);
        float worst = 0;
        for (int t = 0; t < input.length; t++) {
            for (int v = 0; v < 512; v++) worst = Math.max(worst, Math.abs(logits[t][v] - raw.getFloat()));
        }
        assertTrue(worst <= 1e-4f, format + ": max |logit - reference| = " + worst);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void emptyPromptIsBosOnly(String format, Engine engine) {
        Completion c = engine.generate(Request.of("", 8));
        assertArrayEquals(new int[] {1}, c.promptTokenIds(), format);
        assertEquals(8, c.tokenIds().length, format);
    }

    static int[] ids(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
