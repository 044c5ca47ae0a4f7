package dev.euclid.chat;

import dev.euclid.chat.Lexer.Token;
import dev.euclid.chat.Lexer.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * What follows a primary expression: attribute and item access, slices, calls with their
 * arguments, filters ({@code |f}) and tests ({@code is t}).
 */
final class PostfixParser {
    private final TokenStream in;
    private final ExpressionParser expressions;

    PostfixParser(TokenStream in, ExpressionParser expressions) {
        this.in = in;
        this.expressions = expressions;
    }

    Expr parsePostfix(Expr node) {
        while (true) {
            if (in.current().isOperator(".") || in.current().isOperator("[")) {
                node = parseSubscript(node);
            } else if (in.current().isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    Expr parseFilterExpr(Expr node) {
        while (true) {
            if (in.current().isOperator("|")) {
                node = parseFilter(node, false);
            } else if (in.current().isName("is")) {
                node = parseTest(node);
            } else if (in.current().isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node) {
        Token token = in.next();
        if (token.isOperator(".")) {
            Token attr = in.next();
            if (attr.type() == Type.NAME) return new Expr.Attribute(node, (String) attr.value(), token.line());
            if (attr.type() != Type.INTEGER) throw in.fail("expected name or number", attr.line());
            return new Expr.Item(node, new Expr.Const(attr.value(), attr.line()), token.line());
        }
        List<Expr> args = new ArrayList<>();
        while (!in.current().isOperator("]")) {
            if (!args.isEmpty()) in.expectOperator(",");
            args.add(parseSubscribed());
        }
        in.expectOperator("]");
        Expr key = args.size() == 1 ? args.get(0) : new Expr.TupleLiteral(args, token.line());
        return new Expr.Item(node, key, token.line());
    }

    private Expr parseSubscribed() {
        int line = in.current().line();
        Expr start = null;
        if (!in.skipOperator(":")) {
            Expr node = expressions.parseExpression(true);
            if (!in.current().isOperator(":")) return node;
            in.next();
            start = node;
        }
        Expr stop = null, step = null;
        if (!in.current().isOperator(":") && !in.current().isOperator("]") && !in.current().isOperator(",")) {
            stop = expressions.parseExpression(true);
        }
        if (in.skipOperator(":")) {
            if (!in.current().isOperator("]") && !in.current().isOperator(",")) step = expressions.parseExpression(true);
        }
        return new Expr.Slice(start, stop, step, line);
    }

    private Expr parseCall(Expr node) {
        int line = in.current().line();
        return new Expr.Call(node, parseCallArgs(), line);
    }

    private Expr.Args parseCallArgs() {
        Token open = in.expectOperator("(");
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        Expr star = null, starStar = null;
        boolean requireComma = false;
        while (!in.current().isOperator(")")) {
            if (requireComma) {
                in.expectOperator(",");
                if (in.current().isOperator(")")) break;
            }
            if (in.skipOperator("*")) {
                if (star != null || starStar != null) throw in.fail("invalid syntax for function call expression", open.line());
                star = expressions.parseExpression(true);
            } else if (in.skipOperator("**")) {
                if (starStar != null) throw in.fail("invalid syntax for function call expression", open.line());
                starStar = expressions.parseExpression(true);
            } else if (in.current().type() == Type.NAME && in.look().isOperator("=")) {
                if (starStar != null) throw in.fail("invalid syntax for function call expression", open.line());
                names.add((String) in.next().value());
                in.next();
                values.add(expressions.parseExpression(true));
            } else {
                if (star != null || starStar != null || !names.isEmpty()) {
                    throw in.fail("invalid syntax for function call expression", open.line());
                }
                positional.add(expressions.parseExpression(true));
            }
            requireComma = true;
        }
        in.expectOperator(")");
        return new Expr.Args(positional, names, values, star, starStar);
    }

    Expr parseFilter(Expr node, boolean startInline) {
        while (in.current().isOperator("|") || startInline) {
            if (!startInline) in.next();
            Token token = in.expect(Type.NAME);
            String name = dottedName((String) token.value());
            if (!expressions.inConditional() && !Filters.exists(name)) throw in.fail(Filters.unavailable(name, false), token.line());
            Expr.Args args = in.current().isOperator("(") ? parseCallArgs() : Expr.Args.NONE;
            node = new Expr.Filter(node, name, args, token.line());
            startInline = false;
        }
        return node;
    }

    private Expr parseTest(Expr node) {
        Token is = in.next();
        boolean negated = in.skipName("not");
        Token token = in.expect(Type.NAME);
        String name = dottedName((String) token.value());
        if (!expressions.inConditional() && !JinjaTests.exists(name)) throw in.fail("No test named '" + name + "'.", token.line());
        Expr.Args args = Expr.Args.NONE;
        Token c = in.current();
        if (c.isOperator("(")) {
            args = parseCallArgs();
        } else if ((c.type() == Type.NAME || c.type() == Type.STRING || c.type() == Type.INTEGER || c.type() == Type.FLOAT
                || c.isOperator("[") || c.isOperator("{"))
                && !c.isName("else") && !c.isName("or") && !c.isName("and")) {
            if (c.isName("is")) throw in.fail("You cannot chain multiple tests with is", c.line());
            Expr arg = parsePostfix(expressions.parsePrimary(false));
            args = new Expr.Args(List.of(arg), List.of(), List.of(), null, null);
        }
        Expr test = new Expr.Test(node, name, args, is.line());
        return negated ? new Expr.Unary(Expr.UnaryOp.NOT, test, is.line()) : test;
    }

    private String dottedName(String first) {
        StringBuilder name = new StringBuilder(first);
        while (in.skipOperator(".")) name.append('.').append((String) in.expect(Type.NAME).value());
        return name.toString();
    }
}
