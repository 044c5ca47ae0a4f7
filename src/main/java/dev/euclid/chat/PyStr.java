package dev.euclid.chat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** Python's str() and repr() of template values, byte for byte: what {{ value }} prints. */
final class PyStr {
    private PyStr() {}

    /** str(value): strings as they are, containers as their repr, None as "None", Undefined as "". */
    static String str(Object value) {
        if (value instanceof String s) return s;
        if (value instanceof Markup m) return m.text();
        if (value instanceof Undefined) return "";
        return repr(value);
    }

    static String repr(Object value) {
        StringBuilder b = new StringBuilder();
        repr(value, b);
        return b.toString();
    }

    private static void repr(Object value, StringBuilder b) {
        if (value == null) {
            b.append("None");
        } else if (value instanceof String s) {
            quote(s, b);
        } else if (value instanceof Boolean bool) {
            b.append(bool ? "True" : "False");
        } else if (value instanceof Long || value instanceof BigInteger) {
            b.append(value);
        } else if (value instanceof Double d) {
            b.append(floatRepr(d));
        } else if (value instanceof List<?> list) {
            sequence(list, "[", "]", b);
        } else if (value instanceof PyTuple t) {
            sequence(t.items(), "(", t.items().size() == 1 ? ",)" : ")", b);
        } else if (value instanceof Map<?, ?> map) {
            mapping(map, b);
        } else if (value instanceof DictView v) {
            b.append(v.kind()).append('(');
            sequence(v.items(), "[", "]", b);
            b.append(')');
        } else if (value instanceof Markup m) {
            b.append("Markup(");
            quote(m.text(), b);
            b.append(')');
        } else if (value instanceof Undefined) {
            b.append("Undefined");
        } else if (value instanceof PyAccess.Slice s) {
            b.append("slice(").append(s.start() == null ? "None" : s.start()).append(", ")
                    .append(s.stop() == null ? "None" : s.stop()).append(", ").append(s.step() == null ? "None" : s.step())
                    .append(')');
        } else if (value instanceof Namespace ns) {
            b.append("<Namespace ");
            mapping(ns.attributes, b);
            b.append('>');
        } else if (value instanceof Macro m) {
            b.append("<Macro '").append(m.name()).append("'>");
        } else if (value instanceof PyCallable) {
            // Python prints a function with its memory address: no rendering could match it
            throw PyError.type("a function cannot be printed (Python would show its memory address)");
        } else if (value instanceof PyIterator it) {
            throw PyError.type("a " + it.kind + " cannot be printed (Python would show its memory address);"
                    + " convert it with |list first");
        } else if (value instanceof LoopContext loop) {
            b.append("<LoopContext ").append(loop.index0() + 1).append('/').append(loop.length()).append('>');
        } else {
            throw new IllegalStateException("not a template value: " + value.getClass().getName());
        }
    }

    private static void sequence(List<?> items, String open, String close, StringBuilder b) {
        b.append(open);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) b.append(", ");
            repr(items.get(i), b);
        }
        b.append(close);
    }

    private static void mapping(Map<?, ?> map, StringBuilder b) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!first) b.append(", ");
            first = false;
            repr(e.getKey(), b);
            b.append(": ");
            repr(e.getValue(), b);
        }
        b.append('}');
    }

    /** Python's string repr: single quotes unless the text has ' and no ", escapes for the unprintable. */
    private static void quote(String s, StringBuilder b) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        b.append(quote);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == quote || cp == '\\') {
                b.append('\\').appendCodePoint(cp);
            } else if (cp == '\t') {
                b.append("\\t");
            } else if (cp == '\n') {
                b.append("\\n");
            } else if (cp == '\r') {
                b.append("\\r");
            } else if (cp < ' ' || cp == 0x7f) {
                b.append(String.format("\\x%02x", cp));
            } else if (cp < 0x7f || isPrintable(cp)) {
                b.appendCodePoint(cp);
            } else if (cp <= 0xff) {
                b.append(String.format("\\x%02x", cp));
            } else if (cp <= 0xffff) {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.append(String.format("\\U%08x", cp));
            }
        }
        b.append(quote);
    }

    /** str.isprintable() for one code point: everything but controls, formats, separators (except space), unassigned. */
    static boolean isPrintable(int cp) {
        if (cp == ' ') return true;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * float.__repr__: the shortest decimal that reads back as the same double, in fixed notation
     * when the decimal exponent is in [-4, 16), else as d.ddde+XX.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return 1 / d < 0 ? "-0.0" : "0.0";
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == d) {
                shortest = rounded;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int pointAt = digits.length() - shortest.scale(); // value = 0.digits * 10^pointAt
        StringBuilder b = new StringBuilder(d < 0 ? "-" : "");
        if (pointAt < -3 || pointAt > 16) {
            b.append(digits.charAt(0));
            if (digits.length() > 1) b.append('.').append(digits, 1, digits.length());
            int exponent = pointAt - 1;
            b.append('e').append(exponent < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exponent));
            if (e.length() < 2) b.append('0');
            b.append(e);
        } else if (pointAt <= 0) {
            b.append("0.").append("0".repeat(-pointAt)).append(digits);
        } else if (pointAt >= digits.length()) {
            b.append(digits).append("0".repeat(pointAt - digits.length())).append(".0");
        } else {
            b.append(digits, 0, pointAt).append('.').append(digits, pointAt, digits.length());
        }
        return b.toString();
    }

    /** The Python type name of a value, as error messages show it ('str', 'int', 'NoneType', ...). */
    static String typeName(Object value) {
        if (value == null) return "NoneType";
        if (value instanceof String) return "str";
        if (value instanceof Boolean) return "bool";
        if (value instanceof Long || value instanceof BigInteger) return "int";
        if (value instanceof Double) return "float";
        if (value instanceof List) return "list";
        if (value instanceof PyTuple) return "tuple";
        if (value instanceof Map) return "dict";
        if (value instanceof DictView v) return v.kind();
        if (value instanceof PyIterator it) return it.kind;
        if (value instanceof Markup) return "Markup";
        if (value instanceof Undefined) return "Undefined";
        if (value instanceof Namespace) return "Namespace";
        if (value instanceof LoopContext) return "LoopContext";
        if (value instanceof Macro) return "Macro";
        return "builtin_function_or_method";
    }

    /** How Jinja names an object in "... has no attribute" hints: "dict object", "None". */
    static String objectDescription(Object value) {
        return value == null ? "None" : typeName(value) + " object";
    }
}
