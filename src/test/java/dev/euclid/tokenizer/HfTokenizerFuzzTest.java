package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.TextDecoder;
import dev.euclid.testing.Mutations;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing of tokenizer.json (stories260K-hf): damaged bytes, truncations and JSON values of
 * the wrong type or size anywhere in the tree (vocab, merges, normalizer, pre-tokenizer, decoder,
 * added tokens), with tokenizer_config.json damaged too. Each round either throws
 * IllegalArgumentException naming the problem, or gives a tokenizer that then encodes and decodes
 * without any other exception.
 */
class HfTokenizerFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SAMPLE = "Once upon a time, Lily saw a big dog. \"Hi!\" 123 \u00fc\u00df \u4e2d \uD83D\uDE00 <s></s>\n\t  x";

    @Test
    void damagedTokenizerJson() throws IOException {
        Path dir = SharedModels.models().resolve("stories260K-hf");
        String original = Files.readString(dir.resolve("tokenizer.json"));
        String originalConfig = Files.readString(dir.resolve("tokenizer_config.json"));
        JsonNode tree = JSON.readTree(original);
        JsonNode config = JSON.readTree(originalConfig);
        byte[] bytes = original.getBytes(StandardCharsets.UTF_8);
        Mutations m = new Mutations(31);
        int parsed = 0;
        for (int round = 0; round < 500; round++) {
            String json = original;
            String cfg = originalConfig;
            switch (round % 8) {
                case 0 -> json = new String(m.damage(bytes, 0, bytes.length, 4), StandardCharsets.UTF_8);
                case 1 -> json = new String(m.truncate(bytes, bytes.length), StandardCharsets.UTF_8);
                case 2 -> cfg = JSON.writeValueAsString(m.mutateJson(config));
                case 3 -> json = JSON.writeValueAsString(m.mutateJson(m.mutateJson(m.mutateJson(tree))));
                default -> json = JSON.writeValueAsString(m.mutateJson(tree));
            }
            try {
                exercise(HfTokenizer.fromJson(json, cfg));
                parsed++;
            } catch (IllegalArgumentException expected) {
                if (expected.getMessage() == null) throw new AssertionError("round " + round + ": no message", expected);
            } catch (Throwable e) {
                throw new AssertionError("round " + round + ": " + e, e);
            }
        }
        System.out.printf("tokenizer.json: %d of 500 mutated inputs parsed, %d refused%n", parsed, 500 - parsed);
        org.junit.jupiter.api.Assertions.assertTrue(parsed > 0 && parsed < 500, parsed + " of 500 parsed");
    }

    private static void exercise(HfTokenizer tokenizer) {
        int[] ids = tokenizer.encode(SAMPLE);
        tokenizer.decode(ids, -1);
        int[] all = new int[tokenizer.vocabSize()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        tokenizer.decode(all, -1);
        TextDecoder decoder = tokenizer.decoder(-1);
        for (int id : all) decoder.next(id);
        decoder.flush();
    }
}
