package dev.euclid.chat;

import java.util.List;

/** Statement nodes of a parsed template. Every node knows its line. */
sealed interface Stmt {
    int line();

    /** Template text outside tags, after whitespace control. */
    record Text(String text, int line) implements Stmt {}

    /** {@code {{ expr }}}. */
    record Print(Expr expr, int line) implements Stmt {}

    /** if / elif... / else: tests.get(i) guards bodies.get(i). */
    record If(List<Expr> tests, List<List<Stmt>> bodies, List<Stmt> otherwise, int line) implements Stmt {}

    record For(Expr target, Expr iterable, Expr condition, List<Stmt> body, List<Stmt> otherwise, int line)
            implements Stmt {}

    record Set(Expr target, Expr value, int line) implements Stmt {}

    /** {@code set x | filters %}body{% endset}: value is the filter chain over the rendered body, or null. */
    record SetBlock(Expr target, Expr filters, List<Stmt> body, int line) implements Stmt {}

    /**
     * A macro definition; usesVarargs/usesKwargs/usesCaller say whether the body reads the
     * special names, which (as in Jinja2) decides whether extra arguments are accepted.
     */
    record Macro(String name, List<String> params, List<Expr> defaults, List<Stmt> body, boolean usesVarargs,
            boolean usesKwargs, boolean usesCaller, int line) implements Stmt {}

    /** {@code call(params) macro(args)}: the body becomes {@code caller} inside the macro. */
    record CallBlock(Expr.Call call, Macro caller, int line) implements Stmt {}

    /** {@code filter f | g}: the body rendered, then filtered. */
    record FilterBlock(Expr filters, List<Stmt> body, int line) implements Stmt {}

    record With(List<Expr> targets, List<Expr> values, List<Stmt> body, int line) implements Stmt {}

    /** A block with its own scope: Hugging Face's {@code generation} tag. */
    record Scope(List<Stmt> body, int line) implements Stmt {}

    record Break(int line) implements Stmt {}

    record Continue(int line) implements Stmt {}
}
