package dev.euclid.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The methods of str, dict, list and tuple values that templates call ({@code content.split('</think>')}). */
final class PyMethods {
    private PyMethods() {}

    static Object invoke(Object self, String name, List<Object> args, Map<String, Object> kwargs) {
        if (PyOps.isString(self)) return string(PyOps.text(self), name, args, kwargs);
        if (self instanceof Map<?, ?> map) return dict(map, name, args, kwargs);
        List<?> items = self instanceof PyTuple t ? t.items() : (List<?>) self;
        return sequence(items, PyStr.typeName(self) + "." + name, name, args, kwargs);
    }

    private static Object string(String s, String name, List<Object> args, Map<String, Object> kwargs) {
        String fn = "str." + name;
        switch (name) {
            case "strip", "lstrip", "rstrip": {
                Object chars = CallArgs.or(CallArgs.bind(fn, args, kwargs, 0, "chars")[0], null);
                String set = chars == null ? null : CallArgs.string(fn, chars);
                return PyStrings.strip(s, set, !name.equals("rstrip"), !name.equals("lstrip"));
            }
            case "split", "rsplit": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 0, "sep", "maxsplit");
                Object sep = CallArgs.or(a[0], null);
                long max = a[1] == CallArgs.MISSING ? -1 : PyOps.toLong(a[1]);
                String separator = sep == null ? null : CallArgs.string(fn, sep);
                return name.equals("split") ? PyStrings.split(s, separator, max) : PyStrings.rsplit(s, separator, max);
            }
            case "splitlines": {
                Object keepEnds = CallArgs.or(CallArgs.bind(fn, args, kwargs, 0, "keepends")[0], false);
                return PyStrings.splitlines(s, PyOps.truthy(keepEnds));
            }
            case "startswith", "endswith":
                return affix(s, fn, name.equals("startswith"), CallArgs.bind(fn, args, kwargs, 1, "prefix", "start", "end"));
            case "upper": return noArgs(fn, args, kwargs, PyStrings.upper(s));
            case "lower", "casefold": return noArgs(fn, args, kwargs, PyStrings.lower(s));
            case "title": return noArgs(fn, args, kwargs, PyStrings.title(s));
            case "capitalize": return noArgs(fn, args, kwargs, PyStrings.capitalize(s));
            case "swapcase": {
                StringBuilder b = new StringBuilder();
                s.codePoints().forEach(cp -> b.appendCodePoint(Character.isUpperCase(cp) ? Character.toLowerCase(cp)
                        : Character.isLowerCase(cp) ? Character.toUpperCase(cp) : cp));
                return noArgs(fn, args, kwargs, b.toString());
            }
            case "replace": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 2, "old", "new", "count");
                long count = a[2] == CallArgs.MISSING ? -1 : PyOps.toLong(a[2]);
                return PyStrings.replace(s, CallArgs.string(fn, a[0]), CallArgs.string(fn, a[1]), count);
            }
            case "find", "rfind", "index", "rindex", "count":
                return search(s, name, fn, CallArgs.bind(fn, args, kwargs, 1, "sub", "start", "end"));
            case "join": {
                Object iterable = CallArgs.bind(fn, args, kwargs, 1, "iterable")[0];
                StringBuilder b = new StringBuilder();
                List<Object> parts = PyOps.iterate(iterable);
                for (int i = 0; i < parts.size(); i++) {
                    String part = PyOps.text(parts.get(i));
                    if (part == null) {
                        throw PyError.type("sequence item " + i + ": expected str instance, "
                                + PyStr.typeName(parts.get(i)) + " found");
                    }
                    if (i > 0) b.append(s);
                    b.append(part);
                    PyOps.checkLength(b.length());
                }
                return b.toString();
            }
            case "center", "ljust", "rjust": {
                Object[] a = CallArgs.bind(fn, args, kwargs, 1, "width", "fillchar");
                return pad(s, PyOps.toLong(a[0]), CallArgs.string(fn, CallArgs.or(a[1], " ")), name);
            }
            case "zfill": {
                long width = PyOps.toLong(CallArgs.bind(fn, args, kwargs, 1, "width")[0]);
                int length = PyStrings.length(s);
                if (width <= length) return s;
                PyOps.checkLength(width);
                int sign = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
                return s.substring(0, sign) + "0".repeat((int) (width - length)) + s.substring(sign);
            }
            case "removeprefix": {
                String prefix = CallArgs.string(fn, CallArgs.bind(fn, args, kwargs, 1, "prefix")[0]);
                return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
            }
            case "removesuffix": {
                String suffix = CallArgs.string(fn, CallArgs.bind(fn, args, kwargs, 1, "suffix")[0]);
                return !suffix.isEmpty() && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
            }
            case "partition", "rpartition": {
                String sep = CallArgs.string(fn, CallArgs.bind(fn, args, kwargs, 1, "sep")[0]);
                if (sep.isEmpty()) throw PyError.value("empty separator");
                int at = name.equals("partition") ? s.indexOf(sep) : s.lastIndexOf(sep);
                if (at < 0) return name.equals("partition") ? PyTuple.of(s, "", "") : PyTuple.of("", "", s);
                return PyTuple.of(s.substring(0, at), sep, s.substring(at + sep.length()));
            }
            case "format":
                return PyFormat.format(s, args, kwargs);
            case "isdigit", "isdecimal", "isnumeric":
                return noArgs(fn, args, kwargs, !s.isEmpty() && s.codePoints().allMatch(Character::isDigit));
            case "isalpha":
                return noArgs(fn, args, kwargs, !s.isEmpty() && s.codePoints().allMatch(Character::isLetter));
            case "isalnum":
                return noArgs(fn, args, kwargs, !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit));
            case "isspace":
                return noArgs(fn, args, kwargs, !s.isEmpty() && s.codePoints().allMatch(PyStrings::isSpace));
            case "isascii":
                return noArgs(fn, args, kwargs, s.codePoints().allMatch(cp -> cp < 0x80));
            case "islower":
                return noArgs(fn, args, kwargs, PyStrings.isLower(s, false));
            case "isupper":
                return noArgs(fn, args, kwargs, PyStrings.isLower(s, true));
            case "istitle":
                return noArgs(fn, args, kwargs, !s.isEmpty() && PyStrings.title(s).equals(s)
                        && s.codePoints().anyMatch(PyStrings::isCased));
            default:
                throw new PyError("NotImplementedError", fn + "() is not supported in chat templates");
        }
    }

    private static Object noArgs(String fn, List<Object> args, Map<String, Object> kwargs, Object result) {
        CallArgs.bind(fn, args, kwargs, 0);
        return result;
    }

    private static boolean affix(String s, String fn, boolean prefix, Object[] a) {
        String within = PyStrings.slice(s, CallArgs.optionalLong(a[1]), CallArgs.optionalLong(a[2]), null);
        List<Object> candidates = a[0] instanceof PyTuple t ? t.items() : List.of(a[0]);
        for (Object candidate : candidates) {
            String text = PyOps.text(candidate);
            if (text == null) {
                throw PyError.type(fn + " first arg must be str or a tuple of str, not " + PyStr.typeName(candidate));
            }
            if (prefix ? within.startsWith(text) : within.endsWith(text)) return true;
        }
        return false;
    }

    private static Object search(String s, String name, String fn, Object[] a) {
        String sub = CallArgs.string(fn, a[0]);
        int[] cps = PyStrings.codePoints(s);
        int[] range = Slices.indices(cps.length, CallArgs.optionalLong(a[1]), CallArgs.optionalLong(a[2]), null);
        int from = range.length == 0 ? Math.min(cps.length, startIndex(cps.length, CallArgs.optionalLong(a[1])))
                : range[0];
        String window = range.length == 0 ? "" : PyStrings.fromCodePoints(cps, range[0], range[range.length - 1] + 1);
        if (name.equals("count")) {
            if (sub.isEmpty()) return (long) PyStrings.length(window) + 1;
            long count = 0;
            for (int at = window.indexOf(sub); at >= 0; at = window.indexOf(sub, at + sub.length())) count++;
            return count;
        }
        int at = name.startsWith("r") ? window.lastIndexOf(sub) : window.indexOf(sub);
        if (at < 0) {
            if (name.endsWith("index")) throw PyError.value("substring not found");
            return -1L;
        }
        return (long) from + window.codePointCount(0, at);
    }

    private static int startIndex(int length, Long start) {
        if (start == null) return 0;
        long s = start < 0 ? Math.max(0, start + length) : start;
        return (int) Math.min(s, length);
    }

    private static String pad(String s, long width, String fill, String how) {
        if (PyStrings.length(fill) != 1) throw PyError.type("The fill character must be exactly one character long");
        int length = PyStrings.length(s);
        if (width <= length) return s;
        PyOps.checkLength(width);
        int total = (int) (width - length);
        int left = switch (how) {
            case "ljust" -> 0;
            case "rjust" -> total;
            default -> total / 2 + (total & (int) width & 1); // CPython's centering rounds this way
        };
        return fill.repeat(left) + s + fill.repeat(total - left);
    }

    private static Object dict(Map<?, ?> map, String name, List<Object> args, Map<String, Object> kwargs) {
        String fn = "dict." + name;
        switch (name) {
            case "keys":
                CallArgs.bind(fn, args, kwargs, 0);
                return new DictView("dict_keys", new ArrayList<>(map.keySet()));
            case "values":
                CallArgs.bind(fn, args, kwargs, 0);
                return new DictView("dict_values", new ArrayList<>(map.values()));
            case "items": {
                CallArgs.bind(fn, args, kwargs, 0);
                List<Object> items = new ArrayList<>();
                for (Map.Entry<?, ?> e : map.entrySet()) items.add(PyTuple.of(e.getKey(), e.getValue()));
                return new DictView("dict_items", items);
            }
            case "get": {
                if (!kwargs.isEmpty()) throw PyError.type("dict.get() takes no keyword arguments");
                Object[] a = CallArgs.bind(fn, args, kwargs, 1, "key", "default");
                Object value = PyOps.lookup(map, a[0]);
                return value != PyOps.NO_VALUE ? value : CallArgs.or(a[1], null);
            }
            case "copy":
                CallArgs.bind(fn, args, kwargs, 0);
                return new LinkedHashMap<>(map);
            default:
                throw new PyError("NotImplementedError", fn + "() is not supported in chat templates");
        }
    }

    private static Object sequence(List<?> items, String fn, String name, List<Object> args, Map<String, Object> kwargs) {
        switch (name) {
            case "count": {
                Object x = CallArgs.bind(fn, args, kwargs, 1, "value")[0];
                return items.stream().filter(e -> PyOps.eq(e, x)).count();
            }
            case "index": {
                Object x = CallArgs.bind(fn, args, kwargs, 1, "value")[0];
                for (int i = 0; i < items.size(); i++) if (PyOps.eq(items.get(i), x)) return (long) i;
                throw PyError.value(PyStr.repr(x) + " is not in list");
            }
            case "copy":
                CallArgs.bind(fn, args, kwargs, 0);
                return new ArrayList<>(items);
            default:
                throw new PyError("NotImplementedError", fn + "() is not supported in chat templates");
        }
    }
}
