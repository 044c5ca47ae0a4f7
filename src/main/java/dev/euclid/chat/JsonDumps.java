package dev.euclid.chat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps} as Hugging Face's {@code tojson} filter calls it: {@code ", "} and
 * {@code ": "} separators (or {@code ","} with an indent), non-ASCII kept unless ensure_ascii,
 * floats as Python prints them, insertion order unless sort_keys.
 */
final class JsonDumps {
    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final StringBuilder out = new StringBuilder();

    private JsonDumps(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    /**
     * @param indent null for one line, else the text repeated per nesting level
     * @param separators null for Python's defaults, else (item separator, key separator)
     */
    static String dumps(Object value, boolean ensureAscii, String indent, List<Object> separators, boolean sortKeys) {
        String item = indent == null ? ", " : ",", key = ": ";
        if (separators != null) {
            if (separators.size() != 2 || !PyOps.isString(separators.get(0)) || !PyOps.isString(separators.get(1))) {
                throw PyError.value("separators must be a pair of strings");
            }
            item = PyOps.text(separators.get(0));
            key = PyOps.text(separators.get(1));
        }
        JsonDumps dumps = new JsonDumps(ensureAscii, indent, item, key, sortKeys);
        dumps.write(value, 0);
        return dumps.out.toString();
    }

    private void write(Object v, int depth) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (v instanceof Long || v instanceof BigInteger) {
            out.append(v);
        } else if (v instanceof Double d) {
            out.append(number(d));
        } else if (PyOps.isString(v)) {
            string(PyOps.text(v));
        } else if (v instanceof List<?> l) {
            array(l, depth);
        } else if (v instanceof PyTuple t) {
            array(t.items(), depth);
        } else if (v instanceof Map<?, ?> m) {
            object(m, depth);
        } else {
            throw PyError.type("Object of type " + PyStr.typeName(v) + " is not JSON serializable");
        }
        PyOps.checkLength(out.length());
    }

    private static String number(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        return PyStr.floatRepr(d);
    }

    private void array(List<?> items, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            separator(i, depth + 1);
            write(items.get(i), depth + 1);
        }
        close(depth);
        out.append(']');
    }

    private void object(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) entries.sort((a, b) -> PyOps.compare(a.getKey(), b.getKey(), "<"));
        out.append('{');
        for (int i = 0; i < entries.size(); i++) {
            separator(i, depth + 1);
            string(key(entries.get(i).getKey()));
            out.append(keySeparator);
            write(entries.get(i).getValue(), depth + 1);
        }
        close(depth);
        out.append('}');
    }

    private static String key(Object k) {
        if (PyOps.isString(k)) return PyOps.text(k);
        if (k == null) return "null";
        if (k instanceof Boolean b) return b ? "true" : "false";
        if (k instanceof Long || k instanceof BigInteger) return k.toString();
        if (k instanceof Double d) return number(d);
        throw PyError.type("keys must be str, int, float, bool or None, not " + PyStr.typeName(k));
    }

    private void separator(int index, int depth) {
        if (index > 0) out.append(itemSeparator);
        if (indent != null) out.append('\n').append(indent.repeat(depth));
    }

    private void close(int depth) {
        if (indent != null) out.append('\n').append(indent.repeat(depth));
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c)); // UTF-16 units: surrogate pairs as Python writes them
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
