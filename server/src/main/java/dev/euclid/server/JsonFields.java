package dev.euclid.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed access to the fields of a request object. Missing fields and explicit nulls mean "not
 * given" (clients send null for unset options); a value of the wrong type or outside its range is
 * a 400 naming the field. Fields nobody asks for are ignored, like the reference servers do.
 */
final class JsonFields {
    private final ObjectNode node;
    private final String path; // prefix for nested objects' parameter names, e.g. "stream_options."

    JsonFields(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static JsonFields of(JsonNode node, String what) {
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid(what.isEmpty() ? null : what, (what.isEmpty() ? "the request body" : "'" + what + "'")
                    + " must be a JSON object, got " + kind(node));
        }
        return new JsonFields(object, what.isEmpty() ? "" : what + ".");
    }

    /** The raw value, or null when missing or null. */
    JsonNode raw(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    boolean has(String name) {
        return raw(name) != null;
    }

    String param(String name) {
        return path + name;
    }

    String string(String name, String otherwise) {
        JsonNode v = raw(name);
        if (v == null) return otherwise;
        if (!v.isTextual()) throw wrongType(name, "a string", v);
        return v.textValue();
    }

    boolean bool(String name, boolean otherwise) {
        JsonNode v = raw(name);
        if (v == null) return otherwise;
        if (!v.isBoolean()) throw wrongType(name, "a boolean", v);
        return v.booleanValue();
    }

    /** An integer in [min, max]; 3.0 counts as 3 (some clients serialise every number as a double). */
    int integer(String name, int otherwise, int min, int max) {
        JsonNode v = raw(name);
        if (v == null) return otherwise;
        return intValue(v, param(name), min, max);
    }

    long longInteger(String name, long otherwise) {
        JsonNode v = raw(name);
        if (v == null) return otherwise;
        if (!isIntegral(v) || !v.canConvertToLong()) throw wrongType(name, "an integer", v);
        return v.longValue();
    }

    /** A finite number in [min, max]. */
    double number(String name, double otherwise, double min, double max) {
        JsonNode v = raw(name);
        if (v == null) return otherwise;
        if (!v.isNumber()) throw wrongType(name, "a number", v);
        double d = v.doubleValue();
        if (!(d >= min && d <= max)) {
            throw ApiException.invalid(param(name), "'" + param(name) + "' must be in [" + fmt(min) + ", " + fmt(max)
                    + "], got " + v);
        }
        return d;
    }

    static int intValue(JsonNode v, String param, int min, int max) {
        if (!isIntegral(v)) {
            throw ApiException.invalid(param, "'" + param + "' must be an integer, got " + kind(v)
                    + (v.isNumber() ? " " + v : ""));
        }
        if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ApiException.invalid(param, "'" + param + "' must be in [" + min + ", " + max + "], got " + v);
        }
        return (int) v.longValue();
    }

    private static boolean isIntegral(JsonNode v) {
        return v.isIntegralNumber() || (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())
                && Double.isFinite(v.doubleValue()));
    }

    private ApiException wrongType(String name, String expected, JsonNode got) {
        return ApiException.invalid(param(name), "'" + param(name) + "' must be " + expected + ", got " + kind(got));
    }

    /** The JSON kind of a value, as an error message names it. */
    static String kind(JsonNode v) {
        if (v == null || v.isNull()) return "null";
        if (v.isTextual()) return "a string";
        if (v.isBoolean()) return "a boolean";
        if (v.isNumber()) return "a number";
        if (v.isArray()) return "an array";
        if (v.isObject()) return "an object";
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
