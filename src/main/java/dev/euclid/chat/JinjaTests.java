package dev.euclid.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jinja2's built-in tests ({@code x is defined}, {@code x is string}, ...) with Jinja2's exact type rules. */
final class JinjaTests {
    private static final Set<String> NAMES = Set.of("defined", "undefined", "none", "boolean", "false", "true",
            "integer", "float", "number", "string", "mapping", "iterable", "sequence", "callable", "sameas", "escaped",
            "in", "odd", "even", "divisibleby", "eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=",
            "gt", "greaterthan", ">", "ge", ">=", "lower", "upper", "filter", "test");

    private JinjaTests() {}

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static boolean apply(String name, Object v, List<Object> args, Map<String, Object> kwargs) {
        if (!NAMES.contains(name)) throw new PyError("TemplateRuntimeError", "No test named '" + name + "' found.");
        switch (name) {
            case "defined": none(name, args, kwargs); return !(v instanceof Undefined);
            case "undefined": none(name, args, kwargs); return v instanceof Undefined;
            case "none": none(name, args, kwargs); return v == null;
            case "boolean": none(name, args, kwargs); return v instanceof Boolean;
            case "false": none(name, args, kwargs); return Boolean.FALSE.equals(v);
            case "true": none(name, args, kwargs); return Boolean.TRUE.equals(v);
            case "integer": none(name, args, kwargs); return v instanceof Long || v instanceof java.math.BigInteger;
            case "float": none(name, args, kwargs); return v instanceof Double;
            case "number": none(name, args, kwargs); return PyOps.isNumber(v);
            case "string": none(name, args, kwargs); return PyOps.isString(v);
            case "mapping": none(name, args, kwargs); return v instanceof Map;
            case "iterable":
                none(name, args, kwargs);
                return PyOps.isString(v) || v instanceof List || v instanceof PyTuple || v instanceof Map
                        || v instanceof DictView || v instanceof PyIterator || v instanceof Undefined;
            case "sequence":
                none(name, args, kwargs);
                return PyOps.isString(v) || v instanceof List || v instanceof PyTuple || v instanceof Map
                        || v instanceof Undefined;
            case "callable": // Undefined has __call__ (calling it raises)
                none(name, args, kwargs);
                return v instanceof PyCallable || v instanceof Undefined;
            case "escaped": none(name, args, kwargs); return v instanceof Markup;
            case "lower": none(name, args, kwargs); return PyStrings.isLower(PyStr.str(v), false);
            case "upper": none(name, args, kwargs); return PyStrings.isLower(PyStr.str(v), true);
            case "odd", "even": {
                none(name, args, kwargs);
                return PyOps.eq(PyArithmetic.modulo(v, 2L), name.equals("odd") ? 1L : 0L); // value % 2 == 1, floats included
            }
            case "divisibleby": {
                Object d = one(name, args, kwargs, "num");
                Object r = PyArithmetic.modulo(v, d);
                return PyOps.eq(r, 0L);
            }
            case "sameas": return sameAs(v, one(name, args, kwargs, "other"));
            case "in": return PyOps.contains(one(name, args, kwargs, "seq"), v);
            case "eq", "equalto", "==": return PyOps.eq(v, one(name, args, kwargs, "b"));
            case "ne", "!=": return !PyOps.eq(v, one(name, args, kwargs, "b"));
            case "lt", "lessthan", "<": return PyOps.compare(v, one(name, args, kwargs, "b"), "<") < 0;
            case "le", "<=": return PyOps.compare(v, one(name, args, kwargs, "b"), "<=") <= 0;
            case "gt", "greaterthan", ">": return PyOps.compare(v, one(name, args, kwargs, "b"), ">") > 0;
            case "ge", ">=": return PyOps.compare(v, one(name, args, kwargs, "b"), ">=") >= 0;
            case "filter": none(name, args, kwargs); return v instanceof String s && Filters.exists(s);
            case "test": none(name, args, kwargs); return v instanceof String s && exists(s);
            default: throw new IllegalStateException("test " + name + " is listed but not implemented");
        }
    }

    private static void none(String name, List<Object> args, Map<String, Object> kwargs) {
        CallArgs.bind("test " + name, args, kwargs, 0);
    }

    private static Object one(String name, List<Object> args, Map<String, Object> kwargs, String param) {
        return CallArgs.bind("test " + name, args, kwargs, 1, param)[0];
    }

    /**
     * Python's {@code is}: None and booleans are singletons, small ints are cached by CPython; other
     * values built separately are distinct objects, so only the same Java object counts.
     */
    private static boolean sameAs(Object a, Object b) {
        if (a == null || b == null) return a == b;
        if (a instanceof Boolean && b instanceof Boolean) return a.equals(b);
        if (a instanceof Long x && b instanceof Long y) return x.equals(y) && x >= -5 && x <= 256;
        return a == b;
    }
}
