package dev.euclid.chat;

import java.util.List;
import java.util.Map;

/** A function implemented in Java that templates call: a global (range, namespace) or a loop helper. */
final class Builtin implements PyCallable {
    interface Body {
        Object call(List<Object> args, Map<String, Object> kwargs);
    }

    private final String name;
    private final Body body;

    Builtin(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        return body.call(args, kwargs);
    }
}
