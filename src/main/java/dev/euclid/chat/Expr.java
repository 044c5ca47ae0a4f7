package dev.euclid.chat;

import java.util.List;

/** Expression nodes of a parsed template, as Jinja2's parser builds them. Every node knows its line. */
sealed interface Expr {
    int line();

    record Const(Object value, int line) implements Expr {}

    record Name(String name, int line) implements Expr {}

    record ListLiteral(List<Expr> items, int line) implements Expr {}

    record TupleLiteral(List<Expr> items, int line) implements Expr {}

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {}

    /** {@code target.name}. */
    record Attribute(Expr target, String name, int line) implements Expr {}

    /** {@code target[key]}; the key may be a {@link Slice}. */
    record Item(Expr target, Expr key, int line) implements Expr {}

    /** {@code start:stop:step} inside brackets; absent parts are null. */
    record Slice(Expr start, Expr stop, Expr step, int line) implements Expr {}

    /** Positional, keyword, *args and **kwargs arguments of a call, filter or test. */
    record Args(List<Expr> positional, List<String> names, List<Expr> values, Expr star, Expr starStar) {
        static final Args NONE = new Args(List.of(), List.of(), List.of(), null, null);
    }

    record Call(Expr callee, Args args, int line) implements Expr {}

    /** {@code target | name(args)}; in a filter block or set block the target is a {@link BlockValue}. */
    record Filter(Expr target, String name, Args args, int line) implements Expr {}

    /** {@code target is name(args)}. */
    record Test(Expr target, String name, Args args, int line) implements Expr {}

    /** The rendered body of a filter or set block, the target of its filters. */
    record BlockValue(int line) implements Expr {}

    enum UnaryOp { NOT, NEG, POS }

    record Unary(UnaryOp op, Expr operand, int line) implements Expr {}

    enum BinaryOp { ADD, SUB, MUL, DIV, FLOORDIV, MOD, POW, AND, OR }

    record Binary(BinaryOp op, Expr left, Expr right, int line) implements Expr {}

    /** {@code a ~ b ~ c}: str() of each, joined. */
    record Concat(List<Expr> parts, int line) implements Expr {}

    /** {@code a < b == c}: Python's chained comparison; ops are eq, ne, lt, lteq, gt, gteq, in, notin. */
    record Compare(Expr first, List<String> ops, List<Expr> operands, int line) implements Expr {}

    /** {@code then if test else otherwise}; otherwise is null when there is no else. */
    record Conditional(Expr test, Expr then, Expr otherwise, int line) implements Expr {}

    /** {@code ns.attr} as the target of a set. */
    record NamespaceRef(String namespace, String attribute, int line) implements Expr {}
}
