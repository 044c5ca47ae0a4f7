package dev.euclid.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a parsed template: statements write to a buffer, expressions evaluate with Python
 * semantics. A Python-level error is tagged with the line of the innermost node being evaluated.
 */
final class Renderer {
    enum Flow { NORMAL, BREAK, CONTINUE }

    private final String templateName;
    /** The rendered bodies of the filter/set blocks being evaluated, innermost first. */
    private final Deque<Object> blockValues = new ArrayDeque<>();

    Renderer(String templateName) {
        this.templateName = templateName;
    }

    String render(List<Stmt> body, Scope globals) {
        StringBuilder out = new StringBuilder();
        try {
            exec(body, new Scope(globals), out);
        } catch (PyError e) {
            String reason = e.type.equals("TemplateError") ? e.getMessage() : e.type + ": " + e.getMessage();
            throw new ChatTemplateException(templateName, e.line, reason, e);
        } catch (StackOverflowError e) {
            throw new ChatTemplateException(templateName, 0, "macros nest too deeply (runaway recursion?)");
        }
        return out.toString();
    }

    Flow exec(List<Stmt> body, Scope scope, StringBuilder out) {
        for (Stmt s : body) {
            Flow flow;
            try {
                flow = execOne(s, scope, out);
            } catch (PyError e) {
                if (e.line == 0) e.line = s.line();
                throw e;
            }
            if (flow != Flow.NORMAL) return flow;
        }
        return Flow.NORMAL;
    }

    private Flow execOne(Stmt s, Scope scope, StringBuilder out) {
        if (s instanceof Stmt.Text t) {
            write(out, t.text());
        } else if (s instanceof Stmt.Print p) {
            write(out, PyStr.str(eval(p.expr(), scope)));
        } else if (s instanceof Stmt.If i) {
            for (int k = 0; k < i.tests().size(); k++) {
                if (PyOps.truthy(eval(i.tests().get(k), scope))) return exec(i.bodies().get(k), scope, out);
            }
            return exec(i.otherwise(), scope, out);
        } else if (s instanceof Stmt.For f) {
            loop(f, scope, out);
        } else if (s instanceof Stmt.Set set) {
            assign(set.target(), eval(set.value(), scope), scope);
        } else if (s instanceof Stmt.SetBlock b) {
            assign(b.target(), filtered(b.filters(), b.body(), scope), scope);
        } else if (s instanceof Stmt.Macro m) {
            scope.set(m.name(), new Macro(m, scope, this));
        } else if (s instanceof Stmt.CallBlock c) {
            Macro caller = new Macro(c.caller(), scope, this);
            List<Object> args = new ArrayList<>();
            Map<String, Object> kwargs = new LinkedHashMap<>();
            arguments(c.call().args(), scope, args, kwargs);
            kwargs.put("caller", caller);
            write(out, PyStr.str(PyAccess.call(eval(c.call().callee(), scope), args, kwargs)));
        } else if (s instanceof Stmt.FilterBlock f) {
            write(out, PyStr.str(filtered(f.filters(), f.body(), scope)));
        } else if (s instanceof Stmt.With w) {
            Scope inner = new Scope(scope);
            for (int k = 0; k < w.targets().size(); k++) assign(w.targets().get(k), eval(w.values().get(k), scope), inner);
            return exec(w.body(), inner, out);
        } else if (s instanceof Stmt.Scope sc) {
            exec(sc.body(), new Scope(scope), out);
        } else if (s instanceof Stmt.Break) {
            return Flow.BREAK;
        } else if (s instanceof Stmt.Continue) {
            return Flow.CONTINUE;
        }
        return Flow.NORMAL;
    }

    private static void write(StringBuilder out, String text) {
        PyOps.checkLength((long) out.length() + text.length());
        out.append(text);
    }

    /** A block's body rendered in its own scope, then passed through its filters (if any). */
    private Object filtered(Expr filters, List<Stmt> body, Scope scope) {
        StringBuilder buffer = new StringBuilder();
        exec(body, new Scope(scope), buffer);
        if (filters == null) return buffer.toString();
        blockValues.push(buffer.toString());
        try {
            return eval(filters, scope);
        } finally {
            blockValues.pop();
        }
    }

    private void loop(Stmt.For f, Scope scope, StringBuilder out) {
        List<Object> items = new ArrayList<>(PyOps.iterate(eval(f.iterable(), scope)));
        if (f.condition() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope test = new Scope(scope);
                assign(f.target(), item, test);
                if (PyOps.truthy(eval(f.condition(), test))) kept.add(item);
            }
            items = kept;
        }
        LoopContext loop = new LoopContext(items);
        for (int i = 0; i < items.size(); i++) {
            Scope iteration = new Scope(scope);
            assign(f.target(), items.get(i), iteration);
            loop.advance(i);
            iteration.set("loop", loop);
            if (exec(f.body(), iteration, out) == Flow.BREAK) break;
        }
        if (items.isEmpty()) exec(f.otherwise(), new Scope(scope), out);
    }

    private void assign(Expr target, Object value, Scope scope) {
        if (target instanceof Expr.Name n) {
            scope.set(n.name(), value);
        } else if (target instanceof Expr.NamespaceRef ref) {
            Object ns = scope.lookup(ref.namespace());
            if (!(ns instanceof Namespace namespace)) {
                throw new PyError("TemplateRuntimeError", "cannot assign attribute on non-namespace object");
            }
            namespace.attributes.put(ref.attribute(), value);
        } else if (target instanceof Expr.TupleLiteral t) {
            List<Object> values = PyOps.iterate(value);
            int n = t.items().size();
            if (values.size() < n) {
                throw PyError.value("not enough values to unpack (expected " + n + ", got " + values.size() + ")");
            }
            if (values.size() > n) throw PyError.value("too many values to unpack (expected " + n + ")");
            for (int i = 0; i < n; i++) assign(t.items().get(i), values.get(i), scope);
        } else {
            throw new IllegalStateException("the parser only lets names, tuples and namespace attributes be assigned");
        }
    }

    Object eval(Expr e, Scope scope) {
        try {
            return evalOne(e, scope);
        } catch (PyError err) {
            if (err.line == 0) err.line = e.line();
            throw err;
        }
    }

    private Object evalOne(Expr e, Scope scope) {
        if (e instanceof Expr.Const c) return c.value();
        if (e instanceof Expr.Name n) {
            Object value = scope.lookup(n.name());
            return value == PyOps.NO_VALUE ? Undefined.named(n.name()) : value;
        }
        if (e instanceof Expr.Attribute a) return PyAccess.getattr(eval(a.target(), scope), a.name());
        if (e instanceof Expr.Item i) {
            Object target = eval(i.target(), scope);
            Object key = key(i.key(), scope);
            return key instanceof PyAccess.Slice s ? PyAccess.slice(target, s) : PyAccess.getitem(target, key);
        }
        if (e instanceof Expr.Call c) {
            Object callee = eval(c.callee(), scope);
            List<Object> args = new ArrayList<>();
            Map<String, Object> kwargs = new LinkedHashMap<>();
            arguments(c.args(), scope, args, kwargs);
            return PyAccess.call(callee, args, kwargs);
        }
        if (e instanceof Expr.Filter f) {
            Object value = eval(f.target(), scope);
            List<Object> args = new ArrayList<>();
            Map<String, Object> kwargs = new LinkedHashMap<>();
            arguments(f.args(), scope, args, kwargs);
            return Filters.apply(f.name(), value, args, kwargs);
        }
        if (e instanceof Expr.Test t) {
            Object value = eval(t.target(), scope);
            List<Object> args = new ArrayList<>();
            Map<String, Object> kwargs = new LinkedHashMap<>();
            arguments(t.args(), scope, args, kwargs);
            return JinjaTests.apply(t.name(), value, args, kwargs);
        }
        if (e instanceof Expr.Binary b) return binary(b, scope);
        if (e instanceof Expr.Unary u) {
            Object v = eval(u.operand(), scope);
            return switch (u.op()) {
                case NOT -> !PyOps.truthy(v);
                case NEG -> PyArithmetic.negate(v);
                case POS -> PyArithmetic.plus(v);
            };
        }
        if (e instanceof Expr.Compare c) return compare(c, scope);
        if (e instanceof Expr.Concat c) {
            StringBuilder b = new StringBuilder();
            for (Expr part : c.parts()) {
                b.append(PyStr.str(eval(part, scope)));
                PyOps.checkLength(b.length());
            }
            return b.toString();
        }
        if (e instanceof Expr.Conditional c) {
            if (PyOps.truthy(eval(c.test(), scope))) return eval(c.then(), scope);
            return c.otherwise() != null ? eval(c.otherwise(), scope) : Undefined.withHint(
                    "the inline if-expression on line " + c.line() + " evaluated to false and no else section was defined.");
        }
        if (e instanceof Expr.ListLiteral l) {
            List<Object> out = new ArrayList<>();
            for (Expr item : l.items()) out.add(eval(item, scope));
            return out;
        }
        if (e instanceof Expr.TupleLiteral t) {
            List<Object> out = new ArrayList<>();
            for (Expr item : t.items()) out.add(eval(item, scope));
            return new PyTuple(out);
        }
        if (e instanceof Expr.DictLiteral d) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < d.keys().size(); i++) {
                Object k = eval(d.keys().get(i), scope);
                if (k instanceof List || k instanceof Map || k instanceof Undefined) {
                    throw PyError.type("unhashable type: '" + PyStr.typeName(k) + "'");
                }
                PyOps.put(out, k, eval(d.values().get(i), scope));
            }
            return out;
        }
        if (e instanceof Expr.BlockValue) return blockValues.peek();
        throw new PyError("TemplateSyntaxError", "a namespace attribute can only be assigned, not read, in this position");
    }

    private Object key(Expr key, Scope scope) {
        if (key instanceof Expr.Slice s) {
            return new PyAccess.Slice(bound(s.start(), scope), bound(s.stop(), scope), bound(s.step(), scope));
        }
        return eval(key, scope);
    }

    private Long bound(Expr e, Scope scope) {
        if (e == null) return null;
        Object v = eval(e, scope);
        return v == null ? null : PyOps.toLong(v);
    }

    private Object binary(Expr.Binary b, Scope scope) {
        Object left = eval(b.left(), scope);
        switch (b.op()) {
            case AND: return PyOps.truthy(left) ? eval(b.right(), scope) : left;
            case OR: return PyOps.truthy(left) ? left : eval(b.right(), scope);
            default: break;
        }
        Object right = eval(b.right(), scope);
        return switch (b.op()) {
            case ADD -> PyArithmetic.add(left, right);
            case SUB -> PyArithmetic.subtract(left, right);
            case MUL -> PyArithmetic.multiply(left, right);
            case DIV -> PyArithmetic.divide(left, right);
            case FLOORDIV -> PyArithmetic.floorDivide(left, right);
            case MOD -> PyArithmetic.modulo(left, right);
            case POW -> PyArithmetic.power(left, right);
            default -> throw new IllegalStateException(b.op().name());
        };
    }

    private Object compare(Expr.Compare c, Scope scope) {
        Object left = eval(c.first(), scope);
        for (int i = 0; i < c.ops().size(); i++) {
            Object right = eval(c.operands().get(i), scope);
            String op = c.ops().get(i);
            boolean holds = switch (op) {
                case "==" -> PyOps.eq(left, right);
                case "!=" -> !PyOps.eq(left, right);
                case "<" -> PyOps.compare(left, right, op) < 0;
                case "<=" -> PyOps.compare(left, right, op) <= 0;
                case ">" -> PyOps.compare(left, right, op) > 0;
                case ">=" -> PyOps.compare(left, right, op) >= 0;
                case "in" -> PyOps.contains(right, left);
                case "notin" -> !PyOps.contains(right, left);
                default -> throw new IllegalStateException(op);
            };
            if (!holds) return false;
            left = right;
        }
        return true;
    }

    private void arguments(Expr.Args a, Scope scope, List<Object> args, Map<String, Object> kwargs) {
        for (Expr e : a.positional()) args.add(eval(e, scope));
        if (a.star() != null) args.addAll(PyOps.iterate(eval(a.star(), scope)));
        for (int i = 0; i < a.names().size(); i++) kwargs.put(a.names().get(i), eval(a.values().get(i), scope));
        if (a.starStar() != null) {
            Object extra = eval(a.starStar(), scope);
            if (!(extra instanceof Map<?, ?> map)) {
                throw PyError.type("argument after ** must be a mapping, not " + PyStr.typeName(extra));
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String k)) throw PyError.type("keywords must be strings");
                kwargs.put(k, entry.getValue());
            }
        }
    }
}
