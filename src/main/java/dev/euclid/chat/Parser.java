package dev.euclid.chat;

import dev.euclid.chat.Lexer.Token;
import dev.euclid.chat.Lexer.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Builds a template's statements from its tokens with Jinja2's grammar; expressions are left to
 * {@link ExpressionParser}. Constructs chat templates have no use for (template inheritance,
 * includes, recursive loops) are refused with the line they are on.
 */
final class Parser {
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "include", "import", "from",
            "autoescape");

    private final TokenStream in;
    private final ExpressionParser expressions;
    private final Deque<List<String>> endTokenStack = new ArrayDeque<>();
    private int loopDepth;

    private Parser(List<Token> tokens, String templateName) {
        this.in = new TokenStream(tokens, templateName);
        this.expressions = new ExpressionParser(in);
    }

    static List<Stmt> parse(String source, String templateName) {
        Parser parser = new Parser(Lexer.tokenize(source, templateName), templateName);
        try {
            return parser.subparse(null);
        } catch (StackOverflowError e) {
            throw new ChatTemplateException(templateName, 0, "the template nests too deeply to parse");
        }
    }

    private List<Stmt> subparse(List<String> endTokens) {
        List<Stmt> body = new ArrayList<>();
        if (endTokens != null) endTokenStack.push(endTokens);
        try {
            while (in.current().type() != Type.EOF) {
                Token token = in.current();
                switch (token.type()) {
                    case DATA -> {
                        body.add(new Stmt.Text((String) token.value(), token.line()));
                        in.next();
                    }
                    case VARIABLE_BEGIN -> {
                        in.next();
                        body.add(new Stmt.Print(expressions.parseTuple(false, true, null, false, false), token.line()));
                        in.expect(Type.VARIABLE_END);
                    }
                    case BLOCK_BEGIN -> {
                        in.next();
                        if (endTokens != null && in.current().type() == Type.NAME
                                && endTokens.contains((String) in.current().value())) {
                            return body;
                        }
                        body.addAll(parseStatement());
                        in.expect(Type.BLOCK_END);
                    }
                    default -> throw in.fail("unexpected " + in.describe(token), token.line());
                }
            }
            return body;
        } finally {
            if (endTokens != null) endTokenStack.pop();
        }
    }

    private List<Stmt> parseStatement() {
        Token token = in.current();
        if (token.type() != Type.NAME) throw in.fail("tag name expected", token.line());
        String tag = (String) token.value();
        switch (tag) {
            case "for": return List.of(parseFor());
            case "if": return List.of(parseIf());
            case "set": return List.of(parseSet());
            case "macro": return List.of(parseMacro());
            case "call": return List.of(parseCallBlock());
            case "filter": return List.of(parseFilterBlock());
            case "with": return List.of(parseWith());
            case "print": return parsePrint();
            case "generation": return List.of(parseGeneration());
            case "break":
            case "continue": {
                in.next();
                if (loopDepth == 0) throw in.fail("'" + tag + "' outside of a loop", token.line());
                return List.of(tag.equals("break") ? new Stmt.Break(token.line()) : new Stmt.Continue(token.line()));
            }
            default:
                if (UNSUPPORTED_TAGS.contains(tag)) {
                    throw in.fail("the '" + tag + "' tag is not supported in chat templates", token.line());
                }
                throw failUnknownTag(tag, token.line());
        }
    }

    private ChatTemplateException failUnknownTag(String tag, int line) {
        StringBuilder message = new StringBuilder("Encountered unknown tag '" + tag + "'.");
        if (!endTokenStack.isEmpty()) {
            boolean expected = endTokenStack.stream().anyMatch(l -> l.contains(tag));
            String looking = String.join(" or ", endTokenStack.peek().stream().map(s -> "'" + s + "'").toList());
            message.append(expected ? " You probably made a nesting mistake. Jinja is expecting this tag, but"
                    + " currently looking for " + looking + "." : " Jinja was looking for the following tags: "
                    + looking + ".");
        }
        throw in.fail(message.toString(), line);
    }

    private List<Stmt> parseStatements(List<String> endTokens, boolean dropNeedle) {
        in.skipOperator(":");
        in.expect(Type.BLOCK_END);
        List<Stmt> body = subparse(endTokens);
        if (in.current().type() == Type.EOF) {
            throw in.fail("Unexpected end of template. Jinja was looking for the following tags: "
                    + String.join(" or ", endTokens.stream().map(s -> "'" + s + "'").toList()) + ".", in.current().line());
        }
        if (dropNeedle) in.next();
        return body;
    }

    private Stmt parseFor() {
        int line = in.expectName("for").line();
        Expr target = parseAssignTarget(Set.of("in"), false);
        in.expectName("in");
        Expr iterable = expressions.parseTuple(false, false, Set.of("recursive"), false, false);
        Expr condition = in.skipName("if") ? expressions.parseExpression(true) : null;
        if (in.current().isName("recursive")) throw in.fail("recursive for loops are not supported in chat templates", line);
        loopDepth++;
        List<Stmt> body;
        try {
            body = parseStatements(List.of("endfor", "else"), false);
        } finally {
            loopDepth--;
        }
        List<Stmt> otherwise = in.next().value().equals("endfor") ? List.of() : parseStatements(List.of("endfor"), true);
        return new Stmt.For(target, iterable, condition, body, otherwise, line);
    }

    private Stmt parseIf() {
        int line = in.expectName("if").line();
        List<Expr> tests = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        List<Stmt> otherwise = List.of();
        expressions.enterConditional();
        try {
            while (true) {
                tests.add(expressions.parseTuple(false, false, null, false, false));
                bodies.add(parseStatements(List.of("elif", "else", "endif"), false));
                Token token = in.next();
                if (token.isName("elif")) continue;
                if (token.isName("else")) otherwise = parseStatements(List.of("endif"), true);
                break;
            }
        } finally {
            expressions.exitConditional();
        }
        return new Stmt.If(tests, bodies, otherwise, line);
    }

    private Stmt parseSet() {
        int line = in.next().line();
        Expr target = parseAssignTarget(null, true);
        if (in.skipOperator("=")) return new Stmt.Set(target, expressions.parseTuple(false, true, null, false, false), line);
        Expr filters = in.current().isOperator("|") ? expressions.parseFilter(new Expr.BlockValue(line), false) : null;
        return new Stmt.SetBlock(target, filters, parseStatements(List.of("endset"), true), line);
    }

    private Stmt parseWith() {
        int line = in.next().line();
        List<Expr> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (in.current().type() != Type.BLOCK_END) {
            if (!targets.isEmpty()) in.expectOperator(",");
            targets.add(parseAssignTarget(null, false));
            in.expectOperator("=");
            values.add(expressions.parseExpression(true));
        }
        return new Stmt.With(targets, values, parseStatements(List.of("endwith"), true), line);
    }

    private List<Stmt> parsePrint() {
        in.next();
        List<Stmt> out = new ArrayList<>();
        while (in.current().type() != Type.BLOCK_END) {
            if (!out.isEmpty()) in.expectOperator(",");
            Expr e = expressions.parseExpression(true);
            out.add(new Stmt.Print(e, e.line()));
        }
        return out;
    }

    private Stmt parseGeneration() {
        int line = in.next().line();
        return new Stmt.Scope(parseStatements(List.of("endgeneration"), true), line);
    }

    private Stmt parseFilterBlock() {
        int line = in.next().line();
        Expr filters = expressions.parseFilter(new Expr.BlockValue(line), true);
        return new Stmt.FilterBlock(filters, parseStatements(List.of("endfilter"), true), line);
    }

    private Stmt.Macro parseMacro() {
        int line = in.next().line();
        String name = (String) in.expect(Type.NAME).value();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        parseSignature(params, defaults);
        return macro(name, params, defaults, List.of("endmacro"), line);
    }

    private Stmt.Macro macro(String name, List<String> params, List<Expr> defaults, List<String> end, int line) {
        int savedLoops = loopDepth;
        loopDepth = 0;
        List<Stmt> body;
        try {
            body = parseStatements(end, true);
        } finally {
            loopDepth = savedLoops;
        }
        Set<String> used = NameScanner.names(body);
        return new Stmt.Macro(name, params, defaults, body, used.contains("varargs"), used.contains("kwargs"),
                used.contains("caller"), line);
    }

    private void parseSignature(List<String> params, List<Expr> defaults) {
        in.expectOperator("(");
        while (!in.current().isOperator(")")) {
            if (!params.isEmpty()) in.expectOperator(",");
            Token name = in.expect(Type.NAME);
            if (in.skipOperator("=")) {
                defaults.add(expressions.parseExpression(true));
            } else if (!defaults.isEmpty()) {
                throw in.fail("non-default argument follows default argument", name.line());
            }
            params.add((String) name.value());
        }
        in.expectOperator(")");
    }

    private Stmt parseCallBlock() {
        int line = in.next().line();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (in.current().isOperator("(")) parseSignature(params, defaults);
        Expr call = expressions.parseExpression(true);
        if (!(call instanceof Expr.Call c)) throw in.fail("expected call", line);
        return new Stmt.CallBlock(c, macro("caller", params, defaults, List.of("endcall"), line), line);
    }

    private Expr parseAssignTarget(Set<String> extraEndRules, boolean withNamespace) {
        Expr target = expressions.parseTuple(true, true, extraEndRules, false, withNamespace);
        checkAssignable(target);
        return target;
    }

    private void checkAssignable(Expr target) {
        if (target instanceof Expr.Name || target instanceof Expr.NamespaceRef) return;
        if (target instanceof Expr.TupleLiteral t) {
            for (Expr e : t.items()) checkAssignable(e);
            return;
        }
        String kind = target instanceof Expr.Const ? "const" : target.getClass().getSimpleName().toLowerCase();
        throw in.fail("can't assign to '" + kind + "'", target.line());
    }
}
