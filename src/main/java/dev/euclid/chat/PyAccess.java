package dev.euclid.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code obj.name}, {@code obj[key]} and calls, with the lookup order of Jinja2's immutable
 * sandbox: {@code .name} tries the Python attribute (a method such as {@code dict.items}) before
 * the key, {@code [key]} the key before the attribute; a miss is Undefined, and methods that
 * modify a list or dict are refused when called.
 */
final class PyAccess {
    static final Set<String> STR_METHODS = Set.of("capitalize", "casefold", "center", "count", "encode", "endswith",
            "expandtabs", "find", "format", "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal",
            "isdigit", "isidentifier", "islower", "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join",
            "ljust", "lower", "lstrip", "maketrans", "partition", "removeprefix", "removesuffix", "replace", "rfind",
            "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
            "swapcase", "title", "translate", "upper", "zfill");
    static final Set<String> DICT_METHODS = Set.of("keys", "values", "items", "get", "copy", "fromkeys");
    static final Set<String> DICT_MUTATORS = Set.of("clear", "pop", "popitem", "setdefault", "update");
    static final Set<String> LIST_METHODS = Set.of("index", "count", "copy");
    static final Set<String> LIST_MUTATORS = Set.of("append", "extend", "insert", "pop", "remove", "reverse", "sort",
            "clear");

    private PyAccess() {}

    /** A method of a str, dict or list value, bound to it. */
    record BoundMethod(Object self, String name) implements PyCallable {
        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            return PyMethods.invoke(self, name, args, kwargs);
        }
    }

    static Object getattr(Object obj, String name) {
        if (obj instanceof Undefined u) throw u.error();
        if (name.startsWith("__") && name.endsWith("__")) return Undefined.unsafe(obj, name);
        Object attribute = attribute(obj, name);
        if (attribute != PyOps.NO_VALUE) return attribute;
        Object item = item(obj, name);
        return item != PyOps.NO_VALUE ? item : Undefined.attribute(obj, name);
    }

    /** Jinja2's attr filter: the Python attribute only, never an item of the same name. */
    static Object attributeOnly(Object obj, String name) {
        if (obj instanceof Undefined u) throw u.error();
        if (name.startsWith("__") && name.endsWith("__")) return Undefined.unsafe(obj, name);
        Object attribute = attribute(obj, name);
        return attribute != PyOps.NO_VALUE ? attribute : Undefined.attribute(obj, name);
    }

    static Object getitem(Object obj, Object key) {
        if (obj instanceof Undefined u) throw u.error();
        Object item = item(obj, key);
        if (item != PyOps.NO_VALUE) return item;
        if (key instanceof String name) {
            if (name.startsWith("__") && name.endsWith("__")) return Undefined.unsafe(obj, name);
            Object attribute = attribute(obj, name);
            if (attribute != PyOps.NO_VALUE) return attribute;
        }
        return Undefined.attribute(obj, key);
    }

    /** The Python attribute {@code obj.name}, or NO_VALUE when the object has none. */
    private static Object attribute(Object obj, String name) {
        if (PyOps.isString(obj) && STR_METHODS.contains(name)) return new BoundMethod(obj, name);
        if (obj instanceof Map) {
            if (DICT_METHODS.contains(name)) return new BoundMethod(obj, name);
            if (DICT_MUTATORS.contains(name)) return Undefined.unsafe(obj, name);
        }
        if (obj instanceof List) {
            if (LIST_METHODS.contains(name)) return new BoundMethod(obj, name);
            if (LIST_MUTATORS.contains(name)) return Undefined.unsafe(obj, name);
        }
        if (obj instanceof PyTuple && (name.equals("index") || name.equals("count"))) return new BoundMethod(obj, name);
        if (obj instanceof Namespace ns) return ns.attributes.containsKey(name) ? ns.attributes.get(name) : PyOps.NO_VALUE;
        if (obj instanceof LoopContext loop) {
            Object value = loop.attribute(name);
            return value instanceof Undefined ? PyOps.NO_VALUE : value;
        }
        return PyOps.NO_VALUE;
    }

    /**
     * {@code obj[start:stop:step]}. Jinja2 compiles a slice to a plain Python subscript (not its
     * getitem), so slicing what cannot be sliced is a TypeError, not Undefined.
     */
    static Object slice(Object obj, Slice s) {
        if (obj instanceof Undefined u) throw u.error();
        if (obj instanceof List<?> l) return Slices.slice(l, s.start(), s.stop(), s.step());
        if (obj instanceof PyTuple t) return new PyTuple(Slices.slice(t.items(), s.start(), s.stop(), s.step()));
        if (PyOps.isString(obj)) {
            String sliced = PyStrings.slice(PyOps.text(obj), s.start(), s.stop(), s.step());
            return obj instanceof Markup ? new Markup(sliced) : sliced;
        }
        if (obj instanceof Map) throw PyError.type("unhashable type: 'slice'");
        throw PyError.type("'" + PyStr.typeName(obj) + "' object is not subscriptable");
    }

    /** {@code obj[key]}, or NO_VALUE where Python raises a LookupError or TypeError. */
    private static Object item(Object obj, Object key) {
        if (obj instanceof Map<?, ?> map) return PyOps.lookup(map, key);
        if (!PyOps.isInt(key)) return PyOps.NO_VALUE;
        long index = PyOps.toLong(key);
        if (obj instanceof List<?> l) return element(l, index);
        if (obj instanceof PyTuple t) return element(t.items(), index);
        if (PyOps.isString(obj)) {
            String ch = PyStrings.charAt(PyOps.text(obj), index);
            return ch == null ? PyOps.NO_VALUE : ch;
        }
        return PyOps.NO_VALUE;
    }

    private static Object element(List<?> list, long index) {
        long i = index < 0 ? index + list.size() : index;
        return i < 0 || i >= list.size() ? PyOps.NO_VALUE : list.get((int) i);
    }

    /** A slice value {@code a:b:c} as the key of a subscript. */
    record Slice(Long start, Long stop, Long step) {}

    static Object call(Object callee, List<Object> args, Map<String, Object> kwargs) {
        if (callee instanceof PyCallable c) return c.call(args, kwargs);
        if (callee instanceof Undefined u) throw u.error();
        throw PyError.type("'" + PyStr.typeName(callee) + "' object is not callable");
    }
}
