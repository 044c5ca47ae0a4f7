package dev.euclid.chat;

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
                return TextFilters.tojson(value, CallArgs.bind(fn, args, kwargs, 0, "ensure_ascii", "indent", "separators", "sort_keys"));
            case "items": {
                CallArgs.bind(fn, args, kwargs, 0);
                return SequenceFilters.generator(() -> {
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
                return TextFilters.title(PyStr.str(value));
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
                    b.append(PyStr.str(attribute == null ? items.get(i) : SequenceFilters.attributeGetter(attribute, null).apply(items.get(i))));
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
                return SequenceFilters.map(value, args, kwargs);
            case "select", "reject":
                return SequenceFilters.select(value, args, kwargs, name.equals("select"), false);
            case "selectattr", "rejectattr":
                return SequenceFilters.select(value, args, kwargs, name.equals("selectattr"), true);
            case "dictsort":
                return SequenceFilters.dictsort(value, CallArgs.bind(fn, args, kwargs, 0, "case_sensitive", "by", "reverse"));
            case "sort": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "reverse", "case_sensitive", "attribute");
                List<Object> out = new ArrayList<>(PyOps.iterate(value));
                Comparator<Object> order = SequenceFilters.ordering(CallArgs.or(a[2], null), PyOps.truthy(CallArgs.or(a[1], false)));
                out.sort(PyOps.truthy(CallArgs.or(a[0], false)) ? order.reversed() : order);
                return out;
            }
            case "unique": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "case_sensitive", "attribute");
                Function<Object, Object> key = SequenceFilters.sortKey(CallArgs.or(a[1], null), PyOps.truthy(CallArgs.or(a[0], false)));
                return SequenceFilters.generator(() -> {
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
                Comparator<Object> order = SequenceFilters.ordering(CallArgs.or(a[1], null), PyOps.truthy(CallArgs.or(a[0], false)));
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
                    total = PyArithmetic.add(total, attribute == null ? item : SequenceFilters.attributeGetter(attribute, null).apply(item));
                }
                return total;
            }
            case "abs": {
                CallArgs.bind(fn, args, kwargs, 0);
                if (value instanceof Double d) return Math.abs(d);
                if (PyOps.isNumber(value)) return PyOps.compareNumbers(value, 0L) < 0 ? PyArithmetic.negate(value) : PyArithmetic.plus(value);
                throw PyError.type("bad operand type for abs(): '" + PyStr.typeName(value) + "'");
            }
            case "int":
                return NumberFilters.toInt(value, CallArgs.bind(fn, args, kwargs, 0, "default", "base"));
            case "float": {
                if (value instanceof Undefined u) throw u.error();
                Object fallback = CallArgs.or(CallArgs.bind(fn, args, kwargs, 0, "default")[0], 0.0);
                Double d = NumberFilters.toFloat(value);
                return d == null ? fallback : d;
            }
            case "round":
                return NumberFilters.round(value, CallArgs.bind(fn, args, kwargs, 0, "precision", "method"));
            case "indent":
                return TextFilters.indent(value, CallArgs.bind(fn, args, kwargs, 0, "width", "first", "blank"));
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
                return TextFilters.truncate(PyOps.text(value), a);
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
                return SequenceFilters.generator(() -> SequenceFilters.batch(value, name, a));
            }
            case "attr": {
                Object attribute = CallArgs.bind(fn, args, kwargs, 1, "name")[0];
                return PyAccess.attributeOnly(value, CallArgs.string(fn, attribute));
            }
            default:
                throw new IllegalStateException("filter " + name + " is listed but not implemented");
        }
    }

}
