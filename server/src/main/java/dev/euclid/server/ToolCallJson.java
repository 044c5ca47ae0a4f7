package dev.euclid.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON of a model-written tool call: where its object ends, and the call it describes. */
final class ToolCallJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ToolCallJson() {}

    /**
     * The index just past the JSON object that opens at {@code from} (a '{'), or -1 while it is still
     * open. Brackets inside strings do not count, so a call is known complete without parsing it.
     */
    static int objectEnd(String text, int from) {
        int depth = 0;
        boolean inString = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * The call that {@code json} describes: an object with a non-empty string {@code name} and an
     * object {@code arguments} (Llama's templates ask for {@code parameters}; absent: no arguments).
     * Null when it is anything else, malformed JSON included.
     */
    static ToolCall call(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException malformed) {
            return null;
        }
        if (node == null || !node.isObject() || !node.path("name").isTextual() || node.path("name").textValue().isBlank()) {
            return null;
        }
        JsonNode arguments = node.has("arguments") ? node.get("arguments") : node.get("parameters");
        if (arguments == null) arguments = JSON.createObjectNode();
        if (!arguments.isObject()) return null;
        return ToolCall.of(node.get("name").textValue(), arguments.toString());
    }

    /**
     * The call of function {@code name} with the arguments {@code json}, an object (blank: none), for
     * syntaxes that write the name outside the JSON. Null when the name is blank or the arguments are
     * anything else.
     */
    static ToolCall call(String name, String json) {
        if (name.isBlank()) return null;
        if (json.isBlank()) return ToolCall.of(name, "{}");
        try {
            JsonNode arguments = JSON.readTree(json);
            return arguments != null && arguments.isObject() ? ToolCall.of(name, arguments.toString()) : null;
        } catch (JsonProcessingException malformed) {
            return null;
        }
    }
}
