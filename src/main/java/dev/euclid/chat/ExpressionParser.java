package dev.euclid.chat;

import dev.euclid.chat.Lexer.Token;
import dev.euclid.chat.Lexer.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Expressions with Jinja2's precedence: conditional, or, and, not, comparisons, + -, ~, * / // %,
 * **, unary signs, then a primary with what follows it ({@link PostfixParser}). Filters bind
 * tighter than arithmetic and {@code -x|f} filters the negation.
 */
final class ExpressionParser {
    private static final Set<String> COMPARE_OPS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final TokenStream in;
    private final PostfixParser postfix;
    /** Inside an if or a conditional expression, an unknown filter or test is an error only when reached. */
    private int conditionalDepth;

    ExpressionParser(TokenStream in) {
        this.in = in;
        this.postfix = new PostfixParser(in, this);
    }

    void enterConditional() {
        conditionalDepth++;
    }

    void exitConditional() {
        conditionalDepth--;
    }

    boolean inConditional() {
        return conditionalDepth > 0;
    }

    /** Filters applied to a block's output, as in {@code {% filter f %}} and {@code {% set x | f %}}. */
    Expr parseFilter(Expr node, boolean startInline) {
        return postfix.parseFilter(node, startInline);
    }

    Expr parseExpression(boolean withCondexpr) {
        return withCondexpr ? parseCondexpr() : parseOr();
    }

    private Expr parseCondexpr() {
        int line = in.current().line();
        Expr expr = parseOr();
        while (in.skipName("if")) {
            conditionalDepth++;
            try {
                Expr test = parseOr();
                Expr otherwise = in.skipName("else") ? parseCondexpr() : null;
                expr = new Expr.Conditional(test, expr, otherwise, line);
            } finally {
                conditionalDepth--;
            }
            line = in.current().line();
        }
        return expr;
    }

    private Expr parseOr() {
        int line = in.current().line();
        Expr left = parseAnd();
        while (in.skipName("or")) {
            left = new Expr.Binary(Expr.BinaryOp.OR, left, parseAnd(), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parseAnd() {
        int line = in.current().line();
        Expr left = parseNot();
        while (in.skipName("and")) {
            left = new Expr.Binary(Expr.BinaryOp.AND, left, parseNot(), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parseNot() {
        if (in.current().isName("not")) {
            int line = in.next().line();
            return new Expr.Unary(Expr.UnaryOp.NOT, parseNot(), line);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        int line = in.current().line();
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = in.current();
            if (t.type() == Type.OPERATOR && COMPARE_OPS.contains((String) t.value())) {
                in.next();
                ops.add((String) t.value());
            } else if (in.skipName("in")) {
                ops.add("in");
            } else if (t.isName("not") && in.look().isName("in")) {
                in.next();
                in.next();
                ops.add("notin");
            } else {
                break;
            }
            operands.add(parseMath1());
            line = in.current().line();
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, operands, line);
    }

    private Expr parseMath1() {
        int line = in.current().line();
        Expr left = parseConcat();
        while (in.current().isOperator("+") || in.current().isOperator("-")) {
            Expr.BinaryOp op = in.next().value().equals("+") ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB;
            left = new Expr.Binary(op, left, parseConcat(), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parseConcat() {
        int line = in.current().line();
        List<Expr> parts = new ArrayList<>(List.of(parseMath2()));
        while (in.skipOperator("~")) parts.add(parseMath2());
        return parts.size() == 1 ? parts.get(0) : new Expr.Concat(parts, line);
    }

    private Expr parseMath2() {
        int line = in.current().line();
        Expr left = parsePow();
        while (true) {
            Expr.BinaryOp op;
            if (in.current().isOperator("*")) op = Expr.BinaryOp.MUL;
            else if (in.current().isOperator("/")) op = Expr.BinaryOp.DIV;
            else if (in.current().isOperator("//")) op = Expr.BinaryOp.FLOORDIV;
            else if (in.current().isOperator("%")) op = Expr.BinaryOp.MOD;
            else return left;
            in.next();
            left = new Expr.Binary(op, left, parsePow(), line);
            line = in.current().line();
        }
    }

    private Expr parsePow() {
        int line = in.current().line();
        Expr left = parseUnary(true);
        while (in.skipOperator("**")) {
            left = new Expr.Binary(Expr.BinaryOp.POW, left, parseUnary(true), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        int line = in.current().line();
        Expr node;
        if (in.skipOperator("-")) {
            node = new Expr.Unary(Expr.UnaryOp.NEG, parseUnary(false), line);
        } else if (in.skipOperator("+")) {
            node = new Expr.Unary(Expr.UnaryOp.POS, parseUnary(false), line);
        } else {
            node = parsePrimary(false);
        }
        node = postfix.parsePostfix(node);
        return withFilter ? postfix.parseFilterExpr(node) : node;
    }

    Expr parsePrimary(boolean withNamespace) {
        Token token = in.current();
        switch (token.type()) {
            case NAME -> {
                in.next();
                String name = (String) token.value();
                switch (name) {
                    case "true", "True" -> { return new Expr.Const(true, token.line()); }
                    case "false", "False" -> { return new Expr.Const(false, token.line()); }
                    case "none", "None" -> { return new Expr.Const(null, token.line()); }
                    default -> { }
                }
                if (withNamespace && in.current().isOperator(".")) {
                    in.next();
                    return new Expr.NamespaceRef(name, (String) in.expect(Type.NAME).value(), token.line());
                }
                return new Expr.Name(name, token.line());
            }
            case STRING -> {
                StringBuilder b = new StringBuilder();
                while (in.current().type() == Type.STRING) b.append((String) in.next().value());
                return new Expr.Const(b.toString(), token.line());
            }
            case INTEGER, FLOAT -> {
                in.next();
                return new Expr.Const(token.value(), token.line());
            }
            case OPERATOR -> {
                if (token.isOperator("(")) {
                    in.next();
                    Expr e = parseTuple(false, true, null, true, false);
                    in.expectOperator(")");
                    return e;
                }
                if (token.isOperator("[")) return parseList();
                if (token.isOperator("{")) return parseDict();
            }
            default -> { }
        }
        throw in.fail("unexpected " + in.describe(token), token.line());
    }

    /** Expressions separated by commas; two or more (or a trailing comma) make a tuple. */
    Expr parseTuple(boolean simplified, boolean withCondexpr, Set<String> extraEndRules,
            boolean explicitParentheses, boolean withNamespace) {
        int line = in.current().line();
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) in.expectOperator(",");
            if (isTupleEnd(extraEndRules)) break;
            items.add(simplified ? parsePrimary(withNamespace) : parseExpression(withCondexpr));
            if (in.current().isOperator(",")) {
                isTuple = true;
            } else {
                break;
            }
            line = in.current().line();
        }
        if (!isTuple) {
            if (!items.isEmpty()) return items.get(0);
            if (!explicitParentheses) throw in.fail("Expected an expression, got " + in.describe(in.current()), in.current().line());
        }
        return new Expr.TupleLiteral(items, line);
    }

    private boolean isTupleEnd(Set<String> extraEndRules) {
        Token t = in.current();
        if (t.type() == Type.VARIABLE_END || t.type() == Type.BLOCK_END || t.isOperator(")")) return true;
        return extraEndRules != null && t.type() == Type.NAME && extraEndRules.contains((String) t.value());
    }

    private Expr parseList() {
        int line = in.expectOperator("[").line();
        List<Expr> items = new ArrayList<>();
        while (!in.current().isOperator("]")) {
            if (!items.isEmpty()) in.expectOperator(",");
            if (in.current().isOperator("]")) break;
            items.add(parseExpression(true));
        }
        in.expectOperator("]");
        return new Expr.ListLiteral(items, line);
    }

    private Expr parseDict() {
        int line = in.expectOperator("{").line();
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!in.current().isOperator("}")) {
            if (!keys.isEmpty()) in.expectOperator(",");
            if (in.current().isOperator("}")) break;
            keys.add(parseExpression(true));
            in.expectOperator(":");
            values.add(parseExpression(true));
        }
        in.expectOperator("}");
        return new Expr.DictLiteral(keys, values, line);
    }
}
