package dev.euclid.chat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2's built-in filters as Jinja2 3.1 implements them, with Hugging Face's {@code tojson}
 * (plain json.dumps, not Jinja2's HTML-safe one). The few built-ins chat templates never use
 * (urlize, wordwrap, ...) are refused by name rather than approximated.
 */
final class Filters {
    private static final Set<String> NAMES = Set.of("abs", "attr", "batch", "capitalize", "center", "count", "d",
            "default", "dictsort", "e", "escape", "first", "float", "forceescape", "format", "indent", "int", "items",
            "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "replace",
            "reverse", "round", "safe", "select", "selectattr", "slice", "sort", "string", "sum", "title", "tojson",
            "trim", "truncate", "unique", "upper", "wordcount");
    private static final Set<String> UNSUPPORTED = Set.of("filesizeformat", "groupby", "pprint", "random", "striptags",
            "urlencode", "urlize", "wordwrap", "xmlattr");
    private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s({\\[<]+)", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);

    private Filters() {}

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    /** Why a filter name cannot be used (a Jinja2 built-in chat templates never need, or no filter at all). */
    static String unavailable(String name, boolean atRuntime) {
        if (UNSUPPORTED.contains(name)) return "the filter '" + name + "' is not supported in chat templates";
        return "No filter named '" + name + (atRuntime ? "' found." : "'.");
    }

    static Object apply(String name, Object value, List<Object> args, Map<String, Object> kwargs) {
        if (!NAMES.contains(name)) throw new PyError("TemplateRuntimeError", unavailable(name, true));
        String fn = name;
        switch (name) {
            case "trim": {
                Object chars = CallArgs.or(CallArgs.bind(fn, args, kwargs, 0, "chars")[0], null);
                return PyStrings.strip(PyStr.str(value), chars == null ? null : CallArgs.string(fn, chars), true, true);
            }
            case "length", "count":
                CallArgs.bind(fn, args, kwargs, 0);
                return PyOps.len(value);
            case "string":
                CallArgs.bind(fn, args, kwargs, 0);
                return value instanceof Markup ? value : PyStr.str(value);
            case "safe":
                CallArgs.bind(fn, args, kwargs, 0);
                return value instanceof Markup ? value : new Markup(PyStr.str(value));
            case "e", "escape":
                CallArgs.bind(fn, args, kwargs, 0);
                return Markup.of(value);
            case "forceescape":
                CallArgs.bind(fn, args, kwargs, 0);
                return new Markup(Markup.escape(PyStr.str(value)));
            case "default", "d": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "default_value", "boolean");
                boolean useDefault = value instanceof Undefined
                        || (PyOps.truthy(CallArgs.or(a[1], false)) && !PyOps.truthy(value));
                return useDefault ? CallArgs.or(a[0], "") : value;
            }
            case "tojson":
                return tojson(value, CallArgs.bind(fn, args, kwargs, 0, "ensure_ascii", "indent", "separators", "sort_keys"));
            case "items": {
                CallArgs.bind(fn, args, kwargs, 0);
                return generator(() -> {
                    if (value instanceof Undefined) return List.of();
                    if (!(value instanceof Map<?, ?> map)) throw PyError.type("Can only get item pairs from a mapping.");
                    List<Object> out = new ArrayList<>();
                    for (Map.Entry<?, ?> e : map.entrySet()) out.add(PyTuple.of(e.getKey(), e.getValue()));
                    return out;
                });
            }
            case "upper":
                CallArgs.bind(fn, args, kwargs, 0);
                return PyStrings.upper(PyStr.str(value));
            case "lower":
                CallArgs.bind(fn, args, kwargs, 0);
                return PyStrings.lower(PyStr.str(value));
            case "capitalize":
                CallArgs.bind(fn, args, kwargs, 0);
                return PyStrings.capitalize(PyStr.str(value));
            case "title":
                CallArgs.bind(fn, args, kwargs, 0);
                return title(PyStr.str(value));
            case "center": {
                Object width = CallArgs.or(CallArgs.bind(fn, args, kwargs, 0, "width")[0], 80L);
                return PyMethods.invoke(PyStr.str(value), "center", List.of(width), Map.of());
            }
            case "replace": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 2, "old", "new", "count");
                Object count = CallArgs.or(a[2], null);
                return PyStrings.replace(PyStr.str(value), PyStr.str(a[0]), PyStr.str(a[1]),
                        count == null ? -1 : PyOps.toLong(count));
            }
            case "join": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "d", "attribute");
                List<Object> items = PyOps.iterate(value);
                Object attribute = CallArgs.or(a[1], null);
                StringBuilder b = new StringBuilder();
                String separator = PyStr.str(CallArgs.or(a[0], ""));
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) b.append(separator);
                    b.append(PyStr.str(attribute == null ? items.get(i) : attributeGetter(attribute, null).apply(items.get(i))));
                    PyOps.checkLength(b.length());
                }
                return b.toString();
            }
            case "list":
                CallArgs.bind(fn, args, kwargs, 0);
                return new ArrayList<>(PyOps.iterate(value));
            case "first": {
                CallArgs.bind(fn, args, kwargs, 0);
                if (value instanceof PyIterator it) {
                    return it.hasNext() ? it.next() : Undefined.withHint("No first item, sequence was empty.");
                }
                List<Object> items = PyOps.iterate(value);
                return items.isEmpty() ? Undefined.withHint("No first item, sequence was empty.") : items.get(0);
            }
            case "last": {
                CallArgs.bind(fn, args, kwargs, 0);
                if (value instanceof PyIterator it) throw PyError.type("'" + it.kind + "' object is not reversible");
                List<Object> items = PyOps.iterate(value);
                return items.isEmpty() ? Undefined.withHint("No last item, sequence was empty.") : items.get(items.size() - 1);
            }
            case "reverse": {
                CallArgs.bind(fn, args, kwargs, 0);
                if (PyOps.isString(value)) return PyStrings.slice(PyOps.text(value), null, null, -1L);
                // reversed() gives an iterator for sequences and mappings; other iterables become a reversed list
                boolean reversible = value instanceof List || value instanceof PyTuple || value instanceof Map
                        || value instanceof DictView || value instanceof Undefined;
                List<Object> out = new ArrayList<>(PyOps.iterate(value));
                java.util.Collections.reverse(out);
                return reversible ? new PyIterator(PyStr.typeName(value) + "_reverseiterator", () -> out) : out;
            }
            case "map":
                return map(value, args, kwargs);
            case "select", "reject":
                return select(value, args, kwargs, name.equals("select"), false);
            case "selectattr", "rejectattr":
                return select(value, args, kwargs, name.equals("selectattr"), true);
            case "dictsort":
                return dictsort(value, CallArgs.bind(fn, args, kwargs, 0, "case_sensitive", "by", "reverse"));
            case "sort": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "reverse", "case_sensitive", "attribute");
                List<Object> out = new ArrayList<>(PyOps.iterate(value));
                Comparator<Object> order = ordering(CallArgs.or(a[2], null), PyOps.truthy(CallArgs.or(a[1], false)));
                out.sort(PyOps.truthy(CallArgs.or(a[0], false)) ? order.reversed() : order);
                return out;
            }
            case "unique": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "case_sensitive", "attribute");
                Function<Object, Object> key = sortKey(CallArgs.or(a[1], null), PyOps.truthy(CallArgs.or(a[0], false)));
                return generator(() -> {
                    List<Object> out = new ArrayList<>();
                    List<Object> seen = new ArrayList<>();
                    for (Object item : PyOps.iterate(value)) {
                        Object k = key.apply(item);
                        if (seen.stream().noneMatch(s -> PyOps.eq(s, k))) {
                            seen.add(k);
                            out.add(item);
                        }
                    }
                    return out;
                });
            }
            case "min", "max": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "case_sensitive", "attribute");
                List<Object> items = PyOps.iterate(value);
                if (items.isEmpty()) return Undefined.withHint("No aggregated item, sequence was empty.");
                Comparator<Object> order = ordering(CallArgs.or(a[1], null), PyOps.truthy(CallArgs.or(a[0], false)));
                Object best = items.get(0);
                for (Object item : items) {
                    int c = order.compare(item, best);
                    if (name.equals("min") ? c < 0 : c > 0) best = item;
                }
                return best;
            }
            case "sum": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "attribute", "start");
                Object attribute = CallArgs.or(a[0], null);
                Object total = CallArgs.or(a[1], 0L);
                for (Object item : PyOps.iterate(value)) {
                    total = PyOps.add(total, attribute == null ? item : attributeGetter(attribute, null).apply(item));
                }
                return total;
            }
            case "abs": {
                CallArgs.bind(fn, args, kwargs, 0);
                if (value instanceof Double d) return Math.abs(d);
                if (PyOps.isNumber(value)) return PyOps.compareNumbers(value, 0L) < 0 ? PyOps.negate(value) : PyOps.plus(value);
                throw PyError.type("bad operand type for abs(): '" + PyStr.typeName(value) + "'");
            }
            case "int":
                return toInt(value, CallArgs.bind(fn, args, kwargs, 0, "default", "base"));
            case "float": {
                if (value instanceof Undefined u) throw u.error();
                Object fallback = CallArgs.or(CallArgs.bind(fn, args, kwargs, 0, "default")[0], 0.0);
                Double d = toFloat(value);
                return d == null ? fallback : d;
            }
            case "round":
                return round(value, CallArgs.bind(fn, args, kwargs, 0, "precision", "method"));
            case "indent":
                return indent(value, CallArgs.bind(fn, args, kwargs, 0, "width", "first", "blank"));
            case "wordcount": {
                CallArgs.bind(fn, args, kwargs, 0);
                Matcher m = WORD.matcher(PyStr.str(value));
                long n = 0;
                while (m.find()) n++;
                return n;
            }
            case "truncate": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "length", "killwords", "end", "leeway");
                if (!PyOps.isString(value)) {
                    // Jinja2 measures the value as it is: a number has no len(), a short list passes unchanged
                    long limit = PyOps.toLong(CallArgs.or(a[0], 255L)) + (a[3] == CallArgs.MISSING || a[3] == null ? 5
                            : PyOps.toLong(a[3]));
                    if (PyOps.len(value) <= limit) return value;
                    throw PyError.type("can only concatenate " + PyStr.typeName(value) + " (not \"str\") to "
                            + PyStr.typeName(value));
                }
                return truncate(PyOps.text(value), a);
            }
            case "format": {
                if (!args.isEmpty() && !kwargs.isEmpty()) {
                    throw new PyError("FilterArgumentError", "can't handle positional and keyword arguments at the same time");
                }
                Object operand = !kwargs.isEmpty() ? new java.util.LinkedHashMap<Object, Object>(kwargs) : new PyTuple(args);
                return PyFormat.percent(PyStr.str(value), operand);
            }
            case "batch", "slice": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 1, name.equals("batch") ? "linecount" : "slices", "fill_with");
                return generator(() -> batch(value, name, a));
            }
            case "attr": {
                Object attribute = CallArgs.bind(fn, args, kwargs, 1, "name")[0];
                return PyAccess.attributeOnly(value, CallArgs.string(fn, attribute));
            }
            default:
                throw new IllegalStateException("filter " + name + " is listed but not implemented");
        }
    }

    /** Jinja2's filters written as Python generators return one: true even when empty, working only when iterated. */
    private static PyIterator generator(java.util.function.Supplier<List<Object>> items) {
        return new PyIterator("generator", items);
    }

    private static Object tojson(Object value, Object[] a) {
        Object indent = CallArgs.or(a[1], null);
        String indentText = null;
        if (PyOps.isString(indent)) {
            indentText = PyOps.text(indent);
        } else if (indent != null) {
            indentText = " ".repeat((int) Math.max(0, PyOps.toLong(indent)));
        }
        Object separators = CallArgs.or(a[2], null);
        List<Object> pair = separators == null ? null : PyOps.iterate(separators);
        return JsonDumps.dumps(value, PyOps.truthy(CallArgs.or(a[0], false)), indentText, pair,
                PyOps.truthy(CallArgs.or(a[3], false)));
    }

    /** Jinja2's title filter: words begin after "-", whitespace and opening brackets. */
    private static String title(String s) {
        StringBuilder b = new StringBuilder();
        Matcher m = WORD_BEGINNING.matcher(s);
        int from = 0;
        while (m.find()) {
            titleWord(s.substring(from, m.start()), b);
            titleWord(m.group(), b);
            from = m.end();
        }
        titleWord(s.substring(from), b);
        return b.toString();
    }

    private static void titleWord(String item, StringBuilder b) {
        if (item.isEmpty()) return;
        int first = item.codePointAt(0);
        b.append(PyStrings.upper(new String(Character.toChars(first))))
                .append(PyStrings.lower(item.substring(Character.charCount(first))));
    }

    /** make_attrgetter: "a.b.0" looks up a, then b, then index 0, each by item then attribute. */
    static Function<Object, Object> attributeGetter(Object attribute, Object fallback) {
        List<Object> parts = new ArrayList<>();
        if (PyOps.isString(attribute)) {
            for (String part : PyOps.text(attribute).split("\\.", -1)) {
                parts.add(!part.isEmpty() && part.chars().allMatch(Character::isDigit) ? (Object) Long.parseLong(part) : part);
            }
        } else if (attribute != null) {
            parts.add(attribute);
        }
        return item -> {
            Object v = item;
            for (Object part : parts) {
                v = PyAccess.getitem(v, part);
                if (fallback != null && v instanceof Undefined) v = fallback;
            }
            return v;
        };
    }

    /** Strings compare case-insensitively unless asked otherwise, as Jinja2's ignore_case does. */
    private static Function<Object, Object> sortKey(Object attribute, boolean caseSensitive) {
        Function<Object, Object> get = attributeGetter(attribute, null);
        return item -> {
            Object v = get.apply(item);
            return !caseSensitive && v instanceof String s ? PyStrings.lower(s) : v;
        };
    }

    private static Comparator<Object> ordering(Object attribute, boolean caseSensitive) {
        Function<Object, Object> key = sortKey(attribute, caseSensitive);
        return (x, y) -> PyOps.compare(key.apply(x), key.apply(y), "<");
    }

    /** Jinja2's map: nothing for a false value, else the filter or attribute of every item, computed when iterated. */
    private static Object map(Object value, List<Object> args, Map<String, Object> kwargs) {
        return generator(() -> PyOps.truthy(value) ? mapItems(value, args, kwargs) : List.of());
    }

    private static List<Object> mapItems(Object value, List<Object> args, Map<String, Object> kwargs) {
        List<Object> items = PyOps.iterate(value);
        List<Object> out = new ArrayList<>();
        if (args.isEmpty() && kwargs.containsKey("attribute")) {
            Map<String, Object> rest = new java.util.LinkedHashMap<>(kwargs);
            Object attribute = rest.remove("attribute");
            Object fallback = rest.remove("default");
            if (!rest.isEmpty()) {
                throw new PyError("FilterArgumentError", "Unexpected keyword argument '" + rest.keySet().iterator().next() + "'");
            }
            Function<Object, Object> get = attributeGetter(attribute, fallback);
            for (Object item : items) out.add(get.apply(item));
            return out;
        }
        if (args.isEmpty()) throw new PyError("FilterArgumentError", "map requires a filter argument");
        String filter = CallArgs.string("map", args.get(0));
        List<Object> rest = args.subList(1, args.size());
        for (Object item : items) out.add(apply(filter, item, rest, kwargs));
        return out;
    }

    /** Jinja2's select/reject(attr): nothing for a false value, else the items passing the test, computed when iterated. */
    private static Object select(Object value, List<Object> args, Map<String, Object> kwargs, boolean keep, boolean byAttribute) {
        return generator(() -> PyOps.truthy(value) ? selectItems(value, args, kwargs, keep, byAttribute) : List.of());
    }

    private static List<Object> selectItems(Object value, List<Object> args, Map<String, Object> kwargs, boolean keep,
            boolean byAttribute) {
        List<Object> out = new ArrayList<>();
        int offset = byAttribute ? 1 : 0;
        if (byAttribute && args.isEmpty()) throw new PyError("FilterArgumentError", "Missing parameter for attribute name");
        Function<Object, Object> get = byAttribute ? attributeGetter(args.get(0), null) : Function.identity();
        String test = args.size() > offset ? CallArgs.string("select", args.get(offset)) : null;
        List<Object> testArgs = args.size() > offset + 1 ? args.subList(offset + 1, args.size()) : List.of();
        for (Object item : PyOps.iterate(value)) {
            Object v = get.apply(item);
            boolean passes = test == null ? PyOps.truthy(v) : PyOps.truthy(JinjaTests.apply(test, v, testArgs, kwargs));
            if (passes == keep) out.add(item);
        }
        return out;
    }

    private static Object dictsort(Object value, Object[] a) {
        if (!(value instanceof Map<?, ?> map)) throw PyError.type("dictsort expects a mapping, got " + PyStr.typeName(value));
        boolean caseSensitive = PyOps.truthy(CallArgs.or(a[0], false));
        Object by = CallArgs.or(a[1], "key");
        int position;
        if ("key".equals(by)) position = 0;
        else if ("value".equals(by)) position = 1;
        else throw new PyError("FilterArgumentError", "You can only sort by either \"key\" or \"value\"");
        List<Object> items = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) items.add(PyTuple.of(e.getKey(), e.getValue()));
        Comparator<Object> order = ordering((long) position, caseSensitive);
        items.sort(PyOps.truthy(CallArgs.or(a[2], false)) ? order.reversed() : order);
        return items;
    }

    private static Object toInt(Object value, Object[] a) {
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
    private static Double toFloat(Object value) {
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

    private static Object round(Object value, Object[] a) {
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

    private static Object indent(Object value, Object[] a) {
        if (!PyOps.isString(value)) {
            throw PyError.type("indent expects a string (Jinja2 adds a newline to it), not " + PyStr.typeName(value));
        }
        Object width = CallArgs.or(a[0], 4L);
        String indention = PyOps.isString(width) ? PyOps.text(width) : " ".repeat((int) Math.max(0, PyOps.toLong(width)));
        String s = PyStr.str(value) + "\n"; // as Jinja2 does, so that splitlines keeps a trailing empty line
        List<Object> lines = PyStrings.splitlines(s, false);
        String out;
        if (PyOps.truthy(CallArgs.or(a[2], false))) {
            out = String.join("\n" + indention, lines.stream().map(o -> (String) o).toList());
        } else {
            StringBuilder b = new StringBuilder((String) lines.get(0));
            if (lines.size() > 1) {
                b.append('\n');
                for (int i = 1; i < lines.size(); i++) {
                    if (i > 1) b.append('\n');
                    String line = (String) lines.get(i);
                    b.append(line.isEmpty() ? line : indention + line);
                }
            }
            out = b.toString();
        }
        return PyOps.truthy(CallArgs.or(a[1], false)) ? indention + out : out;
    }

    private static Object truncate(String s, Object[] a) {
        long length = PyOps.toLong(CallArgs.or(a[0], 255L));
        boolean killwords = PyOps.truthy(CallArgs.or(a[1], false));
        String end = PyStr.str(CallArgs.or(a[2], "..."));
        Long given = CallArgs.optionalLong(a[3]);
        long leeway = given == null ? 5 : given; // Jinja2's default truncate.leeway policy
        if (PyStrings.length(s) <= length + leeway) return s;
        String head = PyStrings.slice(s, 0L, length - PyStrings.length(end), null);
        if (killwords) return head + end;
        return PyStrings.rsplit(head, " ", 1).get(0) + end;
    }

    private static List<Object> batch(Object value, String name, Object[] a) {
        List<Object> items = PyOps.iterate(value);
        long n = PyOps.toLong(a[0]);
        Object fill = CallArgs.or(a[1], null);
        List<Object> out = new ArrayList<>();
        if (name.equals("batch")) {
            if (n <= 0) throw PyError.value("batch size must be positive");
            for (int i = 0; i < items.size(); i += (int) n) {
                List<Object> chunk = new ArrayList<>(items.subList(i, (int) Math.min(items.size(), i + n)));
                while (fill != null && chunk.size() < n) chunk.add(fill);
                out.add(chunk);
            }
            return out;
        }
        if (n <= 0) throw new PyError("ZeroDivisionError", "integer division or modulo by zero");
        int perSlice = (int) (items.size() / n), withExtra = (int) (items.size() % n), offset = 0;
        for (int k = 0; k < n; k++) {
            int start = offset + k * perSlice;
            if (k < withExtra) offset++;
            int end = offset + (k + 1) * perSlice;
            List<Object> chunk = new ArrayList<>(items.subList(start, end));
            if (fill != null && k >= withExtra) chunk.add(fill);
            out.add(chunk);
        }
        return out;
    }
}
