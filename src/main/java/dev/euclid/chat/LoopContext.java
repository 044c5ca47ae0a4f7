package dev.euclid.chat;

import java.util.List;
import java.util.Map;

/** The {@code loop} variable inside a for loop: index, first/last, length, neighbours, cycle(). */
final class LoopContext {
    private final List<Object> items;
    private int index0;
    private Object lastChanged = NOTHING;
    private static final Object NOTHING = new Object();

    LoopContext(List<Object> items) {
        this.items = items;
    }

    void advance(int index0) {
        this.index0 = index0;
    }

    int index0() {
        return index0;
    }

    int length() {
        return items.size();
    }

    /** loop.NAME, or Undefined for a name a loop does not have. */
    Object attribute(String name) {
        int n = items.size();
        return switch (name) {
            case "index0" -> (long) index0;
            case "index" -> (long) index0 + 1;
            case "revindex0" -> (long) (n - index0 - 1);
            case "revindex" -> (long) (n - index0);
            case "first" -> index0 == 0;
            case "last" -> index0 == n - 1;
            case "length" -> (long) n;
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index0 > 0 ? items.get(index0 - 1) : Undefined.withHint("there is no previous item");
            case "nextitem" -> index0 + 1 < n ? items.get(index0 + 1) : Undefined.withHint("there is no next item");
            case "cycle" -> new Builtin("cycle", this::cycle);
            case "changed" -> new Builtin("changed", this::changed);
            default -> Undefined.attribute(this, name);
        };
    }

    private Object cycle(List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty()) throw PyError.type("no items for cycling given");
        return args.get(index0 % args.size());
    }

    private Object changed(List<Object> args, Map<String, Object> kwargs) {
        Object value = new PyTuple(new java.util.ArrayList<>(args));
        if (lastChanged != NOTHING && PyOps.eq(lastChanged, value)) return false;
        lastChanged = value;
        return true;
    }
}
