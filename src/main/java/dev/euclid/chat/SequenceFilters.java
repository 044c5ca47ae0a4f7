package dev.euclid.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Jinja2's filters over sequences and mappings that need more than a line: attribute lookup
 * (make_attrgetter), ordering, map, select/reject, dictsort, batch and slice.
 */
final class SequenceFilters {
    private SequenceFilters() {}

    /** Jinja2's filters written as Python generators return one: true even when empty, working only when iterated. */
    static PyIterator generator(java.util.function.Supplier<List<Object>> items) {
        return new PyIterator("generator", items);
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
    static Function<Object, Object> sortKey(Object attribute, boolean caseSensitive) {
        Function<Object, Object> get = attributeGetter(attribute, null);
        return item -> {
            Object v = get.apply(item);
            return !caseSensitive && v instanceof String s ? PyStrings.lower(s) : v;
        };
    }

    static Comparator<Object> ordering(Object attribute, boolean caseSensitive) {
        Function<Object, Object> key = sortKey(attribute, caseSensitive);
        return (x, y) -> PyOps.compare(key.apply(x), key.apply(y), "<");
    }

    /** Jinja2's map: nothing for a false value, else the filter or attribute of every item, computed when iterated. */
    static Object map(Object value, List<Object> args, Map<String, Object> kwargs) {
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
        for (Object item : items) out.add(Filters.apply(filter, item, rest, kwargs));
        return out;
    }

    /** Jinja2's select/reject(attr): nothing for a false value, else the items passing the test, computed when iterated. */
    static Object select(Object value, List<Object> args, Map<String, Object> kwargs, boolean keep, boolean byAttribute) {
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

    static Object dictsort(Object value, Object[] a) {
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

    static List<Object> batch(Object value, String name, Object[] a) {
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
