package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One entry of tokenizer.json "added_tokens": text that maps straight to an id, never merged. */
record HfAddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip,
        boolean normalized, boolean special) {

    static List<HfAddedToken> parseAll(JsonNode array) {
        List<HfAddedToken> tokens = new ArrayList<>();
        if (HfJson.absent(array)) {
            return tokens;
        }
        if (!array.isArray()) {
            throw new IllegalArgumentException("\"added_tokens\" must be an array");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode entry = array.get(i);
            String where = "added_tokens[" + i + "]";
            if (!entry.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
            tokens.add(new HfAddedToken(
                    HfJson.tokenId(entry.get("id"), where),
                    HfJson.text(entry, "content", where),
                    HfJson.flag(entry, "single_word", false, where),
                    HfJson.flag(entry, "lstrip", false, where),
                    HfJson.flag(entry, "rstrip", false, where),
                    // HF's default: special tokens match the raw text, others the normalized text.
                    HfJson.flag(entry, "normalized", !HfJson.flag(entry, "special", false, where), where),
                    HfJson.flag(entry, "special", false, where)));
        }
        return tokens;
    }
}
