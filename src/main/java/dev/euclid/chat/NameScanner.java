package dev.euclid.chat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The variable names a block of statements reads: Jinja2 lets a macro take extra arguments only if it reads varargs/kwargs. */
final class NameScanner {
    private final Set<String> names = new HashSet<>();

    private NameScanner() {}

    static Set<String> names(List<Stmt> body) {
        NameScanner scanner = new NameScanner();
        scanner.statements(body);
        return scanner.names;
    }

    private void statements(List<Stmt> body) {
        for (Stmt s : body) statement(s);
    }

    private void statement(Stmt s) {
        if (s instanceof Stmt.Print p) {
            expr(p.expr());
        } else if (s instanceof Stmt.If i) {
            i.tests().forEach(this::expr);
            i.bodies().forEach(this::statements);
            statements(i.otherwise());
        } else if (s instanceof Stmt.For f) {
            expr(f.iterable());
            expr(f.condition());
            statements(f.body());
            statements(f.otherwise());
        } else if (s instanceof Stmt.Set set) {
            expr(set.value());
        } else if (s instanceof Stmt.SetBlock b) {
            expr(b.filters());
            statements(b.body());
        } else if (s instanceof Stmt.Macro m) {
            m.defaults().forEach(this::expr);
            statements(m.body());
        } else if (s instanceof Stmt.CallBlock c) {
            expr(c.call());
            statement(c.caller());
        } else if (s instanceof Stmt.FilterBlock f) {
            expr(f.filters());
            statements(f.body());
        } else if (s instanceof Stmt.With w) {
            w.values().forEach(this::expr);
            statements(w.body());
        } else if (s instanceof Stmt.Scope sc) {
            statements(sc.body());
        }
    }

    private void expr(Expr e) {
        if (e == null) return;
        if (e instanceof Expr.Name n) {
            names.add(n.name());
        } else if (e instanceof Expr.ListLiteral l) {
            l.items().forEach(this::expr);
        } else if (e instanceof Expr.TupleLiteral t) {
            t.items().forEach(this::expr);
        } else if (e instanceof Expr.DictLiteral d) {
            d.keys().forEach(this::expr);
            d.values().forEach(this::expr);
        } else if (e instanceof Expr.Attribute a) {
            expr(a.target());
        } else if (e instanceof Expr.Item i) {
            expr(i.target());
            expr(i.key());
        } else if (e instanceof Expr.Slice s) {
            expr(s.start());
            expr(s.stop());
            expr(s.step());
        } else if (e instanceof Expr.Call c) {
            expr(c.callee());
            args(c.args());
        } else if (e instanceof Expr.Filter f) {
            expr(f.target());
            args(f.args());
        } else if (e instanceof Expr.Test t) {
            expr(t.target());
            args(t.args());
        } else if (e instanceof Expr.Unary u) {
            expr(u.operand());
        } else if (e instanceof Expr.Binary b) {
            expr(b.left());
            expr(b.right());
        } else if (e instanceof Expr.Concat c) {
            c.parts().forEach(this::expr);
        } else if (e instanceof Expr.Compare c) {
            expr(c.first());
            c.operands().forEach(this::expr);
        } else if (e instanceof Expr.Conditional c) {
            expr(c.test());
            expr(c.then());
            expr(c.otherwise());
        }
    }

    private void args(Expr.Args a) {
        a.positional().forEach(this::expr);
        a.values().forEach(this::expr);
        expr(a.star());
        expr(a.starStar());
    }
}
