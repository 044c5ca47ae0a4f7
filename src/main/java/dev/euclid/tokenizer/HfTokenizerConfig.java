package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.ToIntFunction;

/** BOS/EOS as transformers' tokenizer_config.json names them ("bos_token": "<s>" or {"content": "<s>"}). */
final class HfTokenizerConfig {
    private HfTokenizerConfig() {
    }

    /**
     * @param config the parsed tokenizer_config.json, or null if there is none
     * @param idOf the id of a token's text, or -1
     * @param fallback used when the config does not mention {@code field}
     * @return the id, -1 when the config says null
     */
    static int specialId(JsonNode config, String field, ToIntFunction<String> idOf, int fallback) {
        if (config == null || !config.has(field)) {
            return fallback;
        }
        JsonNode value = config.get(field);
        if (value.isNull()) {
            return -1;
        }
        String where = "tokenizer_config.json " + field;
        String content = value.isObject() ? HfJson.text(value, "content", where) : value.textValue();
        if (content == null) {
            throw new IllegalArgumentException(where + " must be a string or {\"content\": ...}, got " + value);
        }
        int id = idOf.applyAsInt(content);
        if (id < 0) {
            throw new IllegalArgumentException(where + " \"" + content + "\" is not a token of tokenizer.json");
        }
        return id;
    }
}
