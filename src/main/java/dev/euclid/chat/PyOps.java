package dev.euclid.chat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Python's value semantics for the operators templates use: truthiness, ==, ordering, in,
 * iteration and len() (arithmetic is {@link PyArithmetic}). Values are null (None), Boolean, Long, Double, String, List, PyTuple, Map and
 * the template-only types (Undefined, Markup, Namespace, ...).
 */
final class PyOps {
    /** The longest string or list a template may build (Jinja's sandbox has no bound; a JVM must). */
    static final int MAX_LENGTH = 1 << 24;

    private PyOps() {}

    static boolean truthy(Object v) {
        if (v == null || v instanceof Undefined) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof Long l) return l != 0;
        if (v instanceof Double d) return d != 0;
        if (v instanceof BigInteger b) return b.signum() != 0;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof Markup m) return !m.text().isEmpty();
        if (v instanceof List<?> l) return !l.isEmpty();
        if (v instanceof PyTuple t) return !t.items().isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        if (v instanceof DictView dv) return !dv.items().isEmpty();
        return true; // iterators, namespaces, functions: objects without __len__ or __bool__
    }

    static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Boolean;
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Boolean || v instanceof Double || v instanceof BigInteger;
    }

    static boolean isString(Object v) {
        return v instanceof String || v instanceof Markup;
    }

    /** The text of a str (or Markup); null for anything else. */
    static String text(Object v) {
        return v instanceof String s ? s : v instanceof Markup m ? m.text() : null;
    }

    static long toLong(Object v) {
        if (v instanceof Long l) return l;
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw PyError.type("'" + PyStr.typeName(v) + "' object cannot be interpreted as an integer");
    }

    static double toDouble(Object v) {
        if (v instanceof Double d) return d;
        if (v instanceof Long l) return l;
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof BigInteger b) return b.doubleValue();
        throw PyError.type("must be real number, not " + PyStr.typeName(v));
    }

    // ---- equality and ordering ----

    static boolean eq(Object a, Object b) {
        if (a == b) return true;
        if (a == null || b == null) return false;
        if (a instanceof Undefined || b instanceof Undefined) return a instanceof Undefined && b instanceof Undefined;
        if (isNumber(a) && isNumber(b)) return compareNumbers(a, b) == 0 && !(isNaN(a) || isNaN(b));
        if (isString(a) && isString(b)) return text(a).equals(text(b));
        if (a instanceof List<?> x && b instanceof List<?> y) return sequenceEq(x, y);
        if (a instanceof PyTuple x && b instanceof PyTuple y) return sequenceEq(x.items(), y.items());
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) return mapEq(x, y);
        return a.equals(b);
    }

    private static boolean isNaN(Object v) {
        return v instanceof Double d && d.isNaN();
    }

    private static boolean sequenceEq(List<?> x, List<?> y) {
        if (x.size() != y.size()) return false;
        for (int i = 0; i < x.size(); i++) if (!eq(x.get(i), y.get(i))) return false;
        return true;
    }

    private static boolean mapEq(Map<?, ?> x, Map<?, ?> y) {
        if (x.size() != y.size()) return false;
        for (Map.Entry<?, ?> e : x.entrySet()) {
            Object key = findKey(y, e.getKey());
            if (key == NO_KEY || !eq(e.getValue(), y.get(key))) return false;
        }
        return true;
    }

    private static final Object NO_KEY = new Object();

    /** The key of {@code map} equal to {@code key} in Python's sense (1 == 1.0 == True), or NO_KEY. */
    private static Object findKey(Map<?, ?> map, Object key) {
        if (map.containsKey(key)) return key;
        for (Object k : map.keySet()) if (eq(k, key)) return k;
        return NO_KEY;
    }

    static boolean hasKey(Map<?, ?> map, Object key) {
        return findKey(map, key) != NO_KEY;
    }

    /** map[key] = value with Python key equality: an equal key keeps its place and first spelling. */
    static void put(Map<Object, Object> map, Object key, Object value) {
        Object k = findKey(map, key);
        map.put(k == NO_KEY ? key : k, value);
    }

    /** map[key] with Python key equality, or NO_VALUE when absent. */
    static Object lookup(Map<?, ?> map, Object key) {
        Object k = findKey(map, key);
        return k == NO_KEY ? NO_VALUE : map.get(k);
    }

    static final Object NO_VALUE = new Object();

    /** The three-way comparison behind {@code < <= > >=}; TypeError where Python has no order. */
    static int compare(Object a, Object b, String op) {
        if (a instanceof Undefined u) throw u.error();
        if (b instanceof Undefined u) throw u.error();
        if (isNumber(a) && isNumber(b)) return compareNumbers(a, b);
        if (isString(a) && isString(b)) return compareCodePoints(text(a), text(b));
        if (a instanceof List<?> x && b instanceof List<?> y) return compareSequences(x, y, op);
        if (a instanceof PyTuple x && b instanceof PyTuple y) return compareSequences(x.items(), y.items(), op);
        throw PyError.type("'" + op + "' not supported between instances of '" + PyStr.typeName(a) + "' and '"
                + PyStr.typeName(b) + "'");
    }

    private static int compareSequences(List<?> x, List<?> y, String op) {
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            if (!eq(x.get(i), y.get(i))) return compare(x.get(i), y.get(i), op);
        }
        return Integer.compare(x.size(), y.size());
    }

    static int compareNumbers(Object a, Object b) {
        if (a instanceof Double || b instanceof Double) return Double.compare(toDouble(a), toDouble(b));
        return bigOf(a).compareTo(bigOf(b));
    }

    static BigInteger bigOf(Object v) {
        return v instanceof BigInteger b ? b : BigInteger.valueOf(toLong(v));
    }

    /** Python compares strings by code point; String.compareTo compares UTF-16 units. */
    static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i), y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** {@code item in container}. */
    static boolean contains(Object container, Object item) {
        if (isString(container)) {
            if (!isString(item)) {
                throw PyError.type("'in <string>' requires string as left operand, not " + PyStr.typeName(item));
            }
            return text(container).contains(text(item));
        }
        if (container instanceof Map<?, ?> m) {
            if (item instanceof List || item instanceof Map) {
                throw PyError.type("unhashable type: '" + PyStr.typeName(item) + "'");
            }
            return hasKey(m, item);
        }
        if (container instanceof Undefined) return false;
        if (container instanceof PyIterator it) {
            while (it.hasNext()) if (eq(it.next(), item)) return true; // consumed up to the match, as in Python
            return false;
        }
        for (Object element : iterate(container)) if (eq(element, item)) return true;
        return false;
    }

    // ---- iteration and length ----

    /** iter(value) as a list: a str gives its characters, a dict its keys, Undefined nothing. */
    static List<Object> iterate(Object v) {
        if (v instanceof List<?> l) return Collections.unmodifiableList(l);
        if (v instanceof PyTuple t) return t.items();
        if (v instanceof Map<?, ?> m) return new ArrayList<>(m.keySet());
        if (v instanceof DictView dv) return dv.items();
        if (v instanceof PyIterator it) return it.drain();
        if (isString(v)) return PyStrings.characters(text(v));
        if (v instanceof Undefined) return List.of();
        throw PyError.type("'" + PyStr.typeName(v) + "' object is not iterable");
    }

    static long len(Object v) {
        if (isString(v)) return PyStrings.length(text(v));
        if (v instanceof List<?> l) return l.size();
        if (v instanceof PyTuple t) return t.items().size();
        if (v instanceof Map<?, ?> m) return m.size();
        if (v instanceof DictView dv) return dv.items().size();
        if (v instanceof Undefined) return 0;
        if (v instanceof LoopContext loop) return loop.length();
        throw PyError.type("object of type '" + PyStr.typeName(v) + "' has no len()");
    }

    /** Python ints are unbounded; Long covers every value a chat template meets, BigInteger the rest. */
    static Object integer(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    static void checkLength(long length) {
        if (length > MAX_LENGTH) {
            throw new PyError("MemoryError", "a value of " + length + " characters or items is beyond the "
                    + MAX_LENGTH + " a chat template may build");
        }
    }
}
