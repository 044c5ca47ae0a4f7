package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The llama2.c greedy generations in stories260K/reference/greedy.json. */
record StoriesReference(String prompt, int[] promptIds, int[] tokenIds, String text) {

    static Path dir() {
        return SharedModels.models().resolve("stories260K");
    }

    static Path hfDir() {
        return SharedModels.models().resolve("stories260K-hf");
    }

    static List<StoriesReference> load() throws IOException {
        JsonNode root = new ObjectMapper().readTree(dir().resolve("reference/greedy.json").toFile());
        List<StoriesReference> all = new ArrayList<>();
        for (JsonNode run : root) {
            int[] ids = new int[run.get("token_ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = run.get("token_ids").get(i).intValue();
            }
            int promptLength = run.get("n_prompt_tokens").intValue();
            all.add(new StoriesReference(run.get("prompt").textValue(),
                    Arrays.copyOf(ids, promptLength), ids, run.get("text").textValue()));
        }
        return all;
    }

    /** The generated ids, after the BOS that starts every reference sequence. */
    int[] afterBos() {
        return Arrays.copyOfRange(tokenIds, 1, tokenIds.length);
    }
}
