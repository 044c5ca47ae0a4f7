package dev.euclid.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Set;

/**
 * Jinja2's int, float and round filters, converting the way Python's int() and float() do.
 */
final class NumberFilters {
    private NumberFilters() {}

    static Object toInt(Object value, Object[] a) {
        if (value instanceof Undefined u) throw u.error(); // int(Undefined) raises, it is not a conversion failure
        Object fallback = CallArgs.or(a[0], 0L);
        int base = (int) PyOps.toLong(CallArgs.or(a[1], 10L));
        if (PyOps.isInt(value)) return PyOps.toLong(value);
        if (value instanceof Double d) return d.isNaN() || d.isInfinite() ? fallback : truncate(d);
        if (value instanceof String s) {
            try {
                return parseInt(s, base);
            } catch (NumberFormatException e) {
                Double d = toFloat(value);
                return d == null || d.isNaN() || d.isInfinite() ? fallback : truncate(d);
            }
        }
        return fallback;
    }

    /** Python's int(text, base): sign, optional 0x/0o/0b prefix matching the base (any prefix for base 0). */
    private static Object parseInt(String text, int base) {
        String t = text.strip().replace("_", "");
        String sign = t.startsWith("-") || t.startsWith("+") ? t.substring(0, 1) : "";
        t = t.substring(sign.length());
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        int radix = base != 0 ? base : lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : lower.startsWith("0b") ? 2 : 10;
        String prefix = radix == 16 ? "0x" : radix == 8 ? "0o" : radix == 2 ? "0b" : null;
        if (prefix != null && lower.startsWith(prefix)) t = t.substring(2);
        return PyOps.integer(new java.math.BigInteger(sign + t, radix));
    }

    private static Object truncate(double d) {
        return PyOps.integer(new BigDecimal(d).setScale(0, RoundingMode.DOWN).toBigInteger());
    }

    /** float(value) as Python parses it, or null where Python raises. */
    static Double toFloat(Object value) {
        if (value instanceof Double d) return d;
        if (PyOps.isNumber(value)) return PyOps.toDouble(value);
        if (!(value instanceof String s)) return null;
        String t = s.strip().replace("_", "").toLowerCase(java.util.Locale.ROOT);
        switch (t.replaceFirst("^[-+]", "")) {
            case "inf", "infinity" -> { return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY; }
            case "nan" -> { return Double.NaN; }
            default -> { }
        }
        if (!t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?")) return null;
        return Double.parseDouble(t);
    }

    static Object round(Object value, Object[] a) {
        long precision = PyOps.toLong(CallArgs.or(a[0], 0L));
        Object method = CallArgs.or(a[1], "common");
        if (!Set.of("common", "ceil", "floor").contains(method)) {
            throw new PyError("FilterArgumentError", "method must be common, ceil or floor");
        }
        if (method.equals("common")) {
            if (PyOps.isInt(value)) return PyOps.toLong(value);
            double d = PyOps.toDouble(value);
            if (Double.isNaN(d) || Double.isInfinite(d)) return d;
            return new BigDecimal(d).setScale((int) precision, RoundingMode.HALF_EVEN).doubleValue();
        }
        double scale = Math.pow(10, precision);
        double x = PyOps.toDouble(value) * scale;
        return (method.equals("ceil") ? Math.ceil(x) : Math.floor(x)) / scale;
    }
}
