package dev.euclid.chat;

import java.util.HashMap;
import java.util.Map;

/**
 * Variables visible at one point of a template. As in Jinja2, every for-loop iteration, macro
 * call and set/filter/with/generation block gets a child scope, so a {@code set} inside it is
 * gone afterwards (templates use namespace() to carry values out); an if block shares its scope.
 */
final class Scope {
    private final Scope parent;
    private final Map<String, Object> variables = new HashMap<>();

    Scope(Scope parent) {
        this.parent = parent;
    }

    /** The value of name here or in an enclosing scope, or PyOps.NO_VALUE. */
    Object lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            if (s.variables.containsKey(name)) return s.variables.get(name);
        }
        return PyOps.NO_VALUE;
    }

    void set(String name, Object value) {
        variables.put(name, value);
    }
}
