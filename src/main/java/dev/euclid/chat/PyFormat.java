package dev.euclid.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code "%s" % args} and {@code "{}".format(...)} for the conversions templates use
 * (s, r, d, i, f, x, with width, fill and precision); anything else is refused, not guessed.
 */
final class PyFormat {
    private PyFormat() {}

    /** {@code template % args}: a tuple supplies several values, a dict named ones, anything else one. */
    static String percent(String template, Object args) {
        List<Object> values = args instanceof PyTuple t ? t.items() : List.of(args == null ? NONE : args);
        Map<?, ?> named = args instanceof Map<?, ?> m ? m : null;
        StringBuilder b = new StringBuilder();
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (++i >= template.length()) throw PyError.value("incomplete format");
            Object value;
            if (template.charAt(i) == '%') {
                b.append('%');
                continue;
            }
            if (template.charAt(i) == '(') {
                int close = template.indexOf(')', i);
                if (close < 0 || named == null) throw PyError.type("format requires a mapping");
                Object v = PyOps.lookup(named, template.substring(i + 1, close));
                if (v == PyOps.NO_VALUE) throw new PyError("KeyError", PyStr.repr(template.substring(i + 1, close)));
                value = v;
                i = close + 1;
            } else {
                if (next >= values.size()) throw PyError.type("not enough arguments for format string");
                value = values.get(next++);
                if (value == NONE) value = null;
            }
            int specStart = i;
            while (i < template.length() && "-+ #0123456789.".indexOf(template.charAt(i)) >= 0) i++;
            if (i >= template.length()) throw PyError.value("incomplete format");
            b.append(spec(value, template.substring(specStart, i), template.charAt(i), true));
        }
        // Python only complains about unused arguments when they are not a mapping-like object (one with __getitem__)
        boolean mappingLike = args instanceof Map || args instanceof List || args instanceof Undefined;
        if (!mappingLike && next < values.size()) {
            throw PyError.type("not all arguments converted during string formatting");
        }
        return b.toString();
    }

    private static final Object NONE = new Object();

    /** {@code template.format(*args, **kwargs)} with auto-numbered, numbered and named fields. */
    static String format(String template, List<Object> args, Map<String, Object> kwargs) {
        StringBuilder b = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                b.append('{');
                i++;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                b.append('}');
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) throw PyError.value("expected '}' before end of string");
                String field = template.substring(i + 1, close);
                String spec = "";
                char conversion = 0;
                int colon = field.indexOf(':');
                if (colon >= 0) {
                    spec = field.substring(colon + 1);
                    field = field.substring(0, colon);
                }
                int bang = field.indexOf('!');
                if (bang >= 0) {
                    conversion = field.length() > bang + 1 ? field.charAt(bang + 1) : 0;
                    field = field.substring(0, bang);
                }
                Object value;
                if (field.isEmpty()) {
                    if (auto >= args.size()) throw new PyError("IndexError", "Replacement index " + auto + " out of range");
                    value = args.get(auto++);
                } else if (field.chars().allMatch(Character::isDigit)) {
                    int n = Integer.parseInt(field);
                    if (n >= args.size()) throw new PyError("IndexError", "Replacement index " + n + " out of range");
                    value = args.get(n);
                } else {
                    if (!kwargs.containsKey(field)) throw new PyError("KeyError", PyStr.repr(field));
                    value = kwargs.get(field);
                }
                if (conversion == 'r') value = PyStr.repr(value);
                else if (conversion == 's') value = PyStr.str(value);
                else if (conversion != 0) throw PyError.value("Unknown conversion specifier " + conversion);
                b.append(formatSpec(value, spec));
                i = close;
            } else if (c == '}') {
                throw PyError.value("Single '}' encountered in format string");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** format(value, spec) for [[fill]align][width][.precision][type] with type s, d, f or empty. */
    private static String formatSpec(Object value, String spec) {
        if (spec.isEmpty()) return PyStr.str(value);
        char fill = ' ', align = 0;
        int i = 0;
        if (spec.length() >= 2 && "<>^".indexOf(spec.charAt(1)) >= 0) {
            fill = spec.charAt(0);
            align = spec.charAt(1);
            i = 2;
        } else if ("<>^".indexOf(spec.charAt(0)) >= 0) {
            align = spec.charAt(0);
            i = 1;
        }
        int widthStart = i;
        while (i < spec.length() && Character.isDigit(spec.charAt(i))) i++;
        int width = i > widthStart ? Integer.parseInt(spec.substring(widthStart, i)) : 0;
        String precision = "";
        if (i < spec.length() && spec.charAt(i) == '.') {
            int p = ++i;
            while (i < spec.length() && Character.isDigit(spec.charAt(i))) i++;
            precision = spec.substring(p, i);
        }
        if (i < spec.length() - 1) throw PyError.value("Invalid format specifier '" + spec + "'");
        char type = i < spec.length() ? spec.charAt(i) : (PyOps.isNumber(value) ? 'n' : 's');
        String body = spec(value, precision.isEmpty() ? "" : "." + precision, type == 'n' ? 's' : type, false);
        int length = PyStrings.length(body);
        if (width <= length) return body;
        if (align == 0) align = PyOps.isNumber(value) ? '>' : '<';
        int pad = width - length;
        int left = align == '<' ? 0 : align == '>' ? pad : pad / 2;
        return String.valueOf(fill).repeat(left) + body + String.valueOf(fill).repeat(pad - left);
    }

    /** One %-conversion (or format type) of one value; flags/width are applied for %-formatting. */
    private static String spec(Object value, String flags, char type, boolean percentStyle) {
        String precision = null;
        int dot = flags.indexOf('.');
        String widthFlags = flags;
        if (dot >= 0) {
            precision = flags.substring(dot + 1);
            widthFlags = flags.substring(0, dot);
        }
        String body = switch (type) {
            case 's' -> {
                String s = PyStr.str(value);
                yield precision == null || precision.isEmpty() ? s : PyStrings.slice(s, 0L, Long.parseLong(precision), null);
            }
            case 'r' -> PyStr.repr(value);
            case 'd', 'i' -> {
                if (!PyOps.isNumber(value)) {
                    throw PyError.type("%d format: a real number is required, not " + PyStr.typeName(value));
                }
                yield value instanceof Double d ? new BigDecimal(d).setScale(0, RoundingMode.DOWN).toPlainString()
                        : String.valueOf(PyOps.integer(java.math.BigInteger.valueOf(PyOps.toLong(value))));
            }
            case 'f', 'F' -> {
                if (!PyOps.isNumber(value)) throw PyError.type("must be real number, not " + PyStr.typeName(value));
                int digits = precision == null || precision.isEmpty() ? 6 : Integer.parseInt(precision);
                yield new BigDecimal(PyOps.toDouble(value)).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
            }
            case 'x', 'X' -> {
                String hex = Long.toHexString(PyOps.toLong(value));
                yield type == 'X' ? hex.toUpperCase(java.util.Locale.ROOT) : hex;
            }
            default -> throw PyError.value("unsupported format character '" + type + "'");
        };
        if (!percentStyle || widthFlags.isEmpty()) return body;
        boolean leftAlign = widthFlags.contains("-");
        boolean zero = widthFlags.contains("0") && !leftAlign && type != 's' && type != 'r';
        String digits = widthFlags.replaceAll("[-+ #]", "");
        if (zero) digits = digits.replaceFirst("^0+", "");
        int width = digits.isEmpty() ? 0 : Integer.parseInt(digits);
        int pad = width - PyStrings.length(body);
        if (pad <= 0) return body;
        if (leftAlign) return body + " ".repeat(pad);
        if (zero && body.startsWith("-")) return "-" + "0".repeat(pad) + body.substring(1);
        return (zero ? "0" : " ").repeat(pad) + body;
    }
}
