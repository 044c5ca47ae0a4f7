package dev.euclid.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

/** Field access for tokenizer.json that fails with a message saying where and what is wrong. */
final class HfJson {
    private HfJson() {
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isNull();
    }

    static JsonNode required(JsonNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (absent(value)) {
            throw new IllegalArgumentException(where + ": missing field \"" + field + "\"");
        }
        return value;
    }

    static JsonNode array(JsonNode object, String field, String where) {
        JsonNode value = required(object, field, where);
        if (!value.isArray()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be an array");
        }
        return value;
    }

    static String text(JsonNode object, String field, String where) {
        JsonNode value = required(object, field, where);
        if (!value.isTextual()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string, got " + value);
        }
        return value.textValue();
    }

    /** A string field that may be missing or null. */
    static String optionalText(JsonNode object, String field, String where) {
        return absent(object.get(field)) ? null : text(object, field, where);
    }

    static boolean flag(JsonNode object, String field, boolean defaultValue, String where) {
        JsonNode value = object.get(field);
        if (absent(value)) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be true or false, got " + value);
        }
        return value.booleanValue();
    }

    static int tokenId(JsonNode value, String where) {
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new IllegalArgumentException(where + ": token id must be a non-negative int, got " + value);
        }
        return value.intValue();
    }

    static int count(JsonNode object, String field, int defaultValue, String where) {
        JsonNode value = object.get(field);
        if (absent(value)) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a non-negative int, got " + value);
        }
        return value.intValue();
    }

    static String type(JsonNode object, String where) {
        if (!object.isObject()) {
            throw new IllegalArgumentException(where + " must be an object, got " + object);
        }
        return text(object, "type", where);
    }

    /** A component this implementation does not have: {@code where.field "value" is not supported (...)}. */
    static IllegalArgumentException unsupported(String where, String field, String value, String supported) {
        return new IllegalArgumentException(where + "." + field + " \"" + value + "\" is not supported ("
                + supported + ")");
    }

    /** The path of element {@code index} of array {@code field} of {@code where}, as in "normalizer.normalizers[2]". */
    static String element(String where, String field, int index) {
        return where + "." + field + "[" + index + "]";
    }
}
