package dev.euclid.chat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A macro defined by the template, callable like a function. It sees the variables of the scope it
 * was defined in (as they are when it is called), binds arguments as Jinja2's Macro does (missing
 * ones become Undefined, extras are refused unless the body reads varargs/kwargs) and returns its
 * rendered body.
 */
final class Macro implements PyCallable {
    private final Stmt.Macro definition;
    private final Scope closure;
    private final Renderer renderer;

    Macro(Stmt.Macro definition, Scope closure, Renderer renderer) {
        this.definition = definition;
        this.closure = closure;
        this.renderer = renderer;
    }

    @Override
    public Object call(List<Object> args, Map<String, Object> kwargs) {
        List<String> params = definition.params();
        Map<String, Object> extra = new LinkedHashMap<>(kwargs);
        Scope scope = new Scope(closure);
        Object[] values = new Object[params.size()];
        for (int i = 0; i < params.size(); i++) {
            values[i] = i < args.size() ? args.get(i) : extra.containsKey(params.get(i)) ? extra.remove(params.get(i))
                    : CallArgs.MISSING;
        }
        if (definition.usesCaller() && !params.contains("caller")) {
            Object caller = extra.remove("caller");
            scope.set("caller", caller != null ? caller : Undefined.withHint("No caller defined"));
        }
        if (definition.usesKwargs()) {
            scope.set("kwargs", new LinkedHashMap<Object, Object>(extra));
        } else if (!extra.isEmpty()) {
            throw PyError.type("macro '" + definition.name() + "' takes no keyword argument '"
                    + extra.keySet().iterator().next() + "'");
        }
        if (definition.usesVarargs()) {
            scope.set("varargs", new PyTuple(new ArrayList<>(args.subList(Math.min(args.size(), params.size()), args.size()))));
        } else if (args.size() > params.size()) {
            throw PyError.type("macro '" + definition.name() + "' takes not more than " + params.size() + " argument(s)");
        }
        int firstDefault = params.size() - definition.defaults().size();
        for (int i = 0; i < params.size(); i++) {
            Object value = values[i];
            if (value == CallArgs.MISSING) {
                value = i >= firstDefault ? renderer.eval(definition.defaults().get(i - firstDefault), scope)
                        : Undefined.withHint("parameter '" + params.get(i) + "' was not provided");
            }
            scope.set(params.get(i), value);
        }
        StringBuilder out = new StringBuilder();
        renderer.exec(definition.body(), scope, out);
        return out.toString();
    }

    String name() {
        return definition.name();
    }
}
