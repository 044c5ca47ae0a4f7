package dev.euclid.chat;

import java.util.List;
import java.util.Map;

/** Binds positional and keyword arguments to a Java-implemented function's parameters, as Python does. */
final class CallArgs {
    /** A parameter the caller left out (distinct from an explicit None). */
    static final Object MISSING = new Object();

    private CallArgs() {}

    /**
     * @param names the parameter names in order
     * @param required how many of the first names must be given
     * @return one value per name, MISSING where the caller gave none
     */
    static Object[] bind(String function, List<Object> args, Map<String, Object> kwargs, int required, String... names) {
        if (args.size() > names.length) {
            throw PyError.type(function + "() takes at most " + names.length + " argument" + (names.length == 1 ? "" : "s")
                    + " (" + args.size() + " given)");
        }
        Object[] out = new Object[names.length];
        java.util.Arrays.fill(out, MISSING);
        for (int i = 0; i < args.size(); i++) out[i] = args.get(i);
        for (Map.Entry<String, Object> e : kwargs.entrySet()) {
            int at = List.of(names).indexOf(e.getKey());
            if (at < 0) throw PyError.type(function + "() got an unexpected keyword argument '" + e.getKey() + "'");
            if (out[at] != MISSING) throw PyError.type(function + "() got multiple values for argument '" + e.getKey() + "'");
            out[at] = e.getValue();
        }
        for (int i = 0; i < required; i++) {
            if (out[i] == MISSING) throw PyError.type(function + "() missing required argument '" + names[i] + "'");
        }
        return out;
    }

    static Object or(Object value, Object fallback) {
        return value == MISSING ? fallback : value;
    }

    /** An optional int argument where None also means "absent" (slice bounds, maxsplit). */
    static Long optionalLong(Object value) {
        return value == MISSING || value == null ? null : PyOps.toLong(value);
    }

    static String string(String function, Object value) {
        String s = PyOps.text(value);
        if (s == null) throw PyError.type(function + "() argument must be str, not " + PyStr.typeName(value));
        return s;
    }
}
