package dev.euclid.synthetictest;

import dev.euclid.synthetic.SyntheticCorpus;
import dev.euclid.tokenizer.HfTokenizer;
import dev.euclid.synthetic.SyntheticTokenizer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyntheticTokenizerTest {

    @Test
    void isDeterministic() {
        assertEquals(SyntheticTokenizer.byteLevelJson(700), SyntheticTokenizer.byteLevelJson(700));
    }

    @Test
    void smallVocabIsAllLearnedMerges() throws IOException {
        JsonNode json = new ObjectMapper().readTree(SyntheticTokenizer.byteLevelJson(300));
        JsonNode model = json.get("model");
        assertEquals(299, model.get("vocab").size());
        assertEquals(43, model.get("merges").size(), "256 bytes + 43 merges = 299");
        assertEquals(299, json.get("added_tokens").get(0).get("id").intValue());
        assertEquals("<|endoftext|>", json.get("added_tokens").get(0).get("content").textValue());
        // The most frequent pair of an English-heavy corpus is a space before a letter.
        assertTrue(model.get("merges").get(0).get(0).textValue().equals("Ġ"), model.get("merges").get(0).toString());
    }

    @Test
    void largeVocabIsPaddedWithFillersAndBuildsFast() throws IOException {
        SyntheticTokenizer.byteLevelJson(1000); // warm up the JIT; the bound below is for a warm JVM
        String text = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> SyntheticTokenizer.byteLevelJson(32000));
        JsonNode vocab = new ObjectMapper().readTree(text).get("model").get("vocab");
        assertEquals(31999, vocab.size());
        assertEquals(31998, vocab.get("<|extra_" + (31998 - firstFiller(vocab)) + "|>").intValue());
        HfTokenizer tokenizer = HfTokenizer.fromJson(text, null);
        assertEquals(32000, tokenizer.vocabSize());
        assertEquals("<|extra_0|>", new String(tokenizer.tokenBytes(firstFiller(vocab)), StandardCharsets.UTF_8));
        String sample = SyntheticCorpus.TEXT.substring(0, 2000);
        int[] ids = tokenizer.encode(sample);
        assertEquals(sample, tokenizer.decode(ids, -1));
        assertTrue(ids.length < 600, "the corpus itself should compress well, got " + ids.length);
    }

    @Test
    void rejectsVocabsWithoutRoomForBytesAndTheSpecialToken() {
        assertThrows(IllegalArgumentException.class, () -> SyntheticTokenizer.byteLevelJson(256));
        assertEquals(257, HfTokenizer.fromJson(SyntheticTokenizer.byteLevelJson(257), null).vocabSize());
    }

    private static int firstFiller(JsonNode vocab) {
        return vocab.get("<|extra_0|>").intValue();
    }
}
