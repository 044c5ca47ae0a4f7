package dev.euclid.chat;

import dev.euclid.chat.Lexer.Token;
import dev.euclid.chat.Lexer.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Builds statements and expressions from tokens with Jinja2's grammar and precedence (filters bind
 * tighter than arithmetic, {@code not} looser than comparisons, {@code -x|f} filters the negation).
 * Constructs chat templates have no use for (template inheritance, includes, recursive loops) are
 * refused with the line they are on.
 */
final class Parser {
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "include", "import", "from",
            "autoescape");
    private static final Set<String> COMPARE_OPS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final List<Token> tokens;
    private final String templateName;
    private final Deque<List<String>> endTokenStack = new ArrayDeque<>();
    private int index;
    /** Inside an if or a conditional expression, an unknown filter or test is an error only when reached. */
    private int softDepth;
    private int loopDepth;

    private Parser(List<Token> tokens, String templateName) {
        this.tokens = tokens;
        this.templateName = templateName;
    }

    static List<Stmt> parse(String source, String templateName) {
        Parser parser = new Parser(Lexer.tokenize(source, templateName), templateName);
        try {
            return parser.subparse(null);
        } catch (StackOverflowError e) {
            throw new ChatTemplateException(templateName, 0, "the template nests too deeply to parse");
        }
    }

    // ---- token stream ----

    private Token current() {
        return tokens.get(index);
    }

    private Token look() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(index);
        if (index < tokens.size() - 1) index++;
        return t;
    }

    private boolean skipName(String name) {
        if (!current().isName(name)) return false;
        next();
        return true;
    }

    private boolean skipOperator(String op) {
        if (!current().isOperator(op)) return false;
        next();
        return true;
    }

    private Token expect(Type type) {
        if (current().type() != type) fail("expected " + describe(type, null) + ", got " + describe(current()), current().line());
        return next();
    }

    private Token expectName(String name) {
        if (!current().isName(name)) fail("expected '" + name + "', got " + describe(current()), current().line());
        return next();
    }

    private Token expectOperator(String op) {
        if (!current().isOperator(op)) fail("expected '" + op + "', got " + describe(current()), current().line());
        return next();
    }

    private ChatTemplateException fail(String message, int line) {
        throw new ChatTemplateException(templateName, line, message);
    }

    private static String describe(Token t) {
        return describe(t.type(), t.value());
    }

    private static String describe(Type type, Object value) {
        return switch (type) {
            case NAME, OPERATOR -> "'" + value + "'";
            case STRING -> "string " + PyStr.repr(value);
            case INTEGER, FLOAT -> "number " + value;
            case DATA -> "template data";
            case VARIABLE_BEGIN -> "begin of print statement";
            case VARIABLE_END -> "end of print statement";
            case BLOCK_BEGIN -> "begin of statement block";
            case BLOCK_END -> "end of statement block";
            case EOF -> "end of template";
        };
    }

    // ---- statements ----

    private List<Stmt> subparse(List<String> endTokens) {
        List<Stmt> body = new ArrayList<>();
        if (endTokens != null) endTokenStack.push(endTokens);
        try {
            while (current().type() != Type.EOF) {
                Token token = current();
                switch (token.type()) {
                    case DATA -> {
                        body.add(new Stmt.Text((String) token.value(), token.line()));
                        next();
                    }
                    case VARIABLE_BEGIN -> {
                        next();
                        body.add(new Stmt.Print(parseTuple(false, true, null, false, false), token.line()));
                        expect(Type.VARIABLE_END);
                    }
                    case BLOCK_BEGIN -> {
                        next();
                        if (endTokens != null && current().type() == Type.NAME
                                && endTokens.contains((String) current().value())) {
                            return body;
                        }
                        body.addAll(parseStatement());
                        expect(Type.BLOCK_END);
                    }
                    default -> throw fail("unexpected " + describe(token), token.line());
                }
            }
            return body;
        } finally {
            if (endTokens != null) endTokenStack.pop();
        }
    }

    private List<Stmt> parseStatement() {
        Token token = current();
        if (token.type() != Type.NAME) throw fail("tag name expected", token.line());
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
                next();
                if (loopDepth == 0) throw fail("'" + tag + "' outside of a loop", token.line());
                return List.of(tag.equals("break") ? new Stmt.Break(token.line()) : new Stmt.Continue(token.line()));
            }
            default:
                if (UNSUPPORTED_TAGS.contains(tag)) {
                    throw fail("the '" + tag + "' tag is not supported in chat templates", token.line());
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
        throw fail(message.toString(), line);
    }

    private List<Stmt> parseStatements(List<String> endTokens, boolean dropNeedle) {
        skipOperator(":");
        expect(Type.BLOCK_END);
        List<Stmt> body = subparse(endTokens);
        if (current().type() == Type.EOF) {
            throw fail("Unexpected end of template. Jinja was looking for the following tags: "
                    + String.join(" or ", endTokens.stream().map(s -> "'" + s + "'").toList()) + ".", current().line());
        }
        if (dropNeedle) next();
        return body;
    }

    private Stmt parseFor() {
        int line = expectName("for").line();
        Expr target = parseAssignTarget(Set.of("in"), false);
        expectName("in");
        Expr iterable = parseTuple(false, false, Set.of("recursive"), false, false);
        Expr condition = skipName("if") ? parseExpression(true) : null;
        if (current().isName("recursive")) throw fail("recursive for loops are not supported in chat templates", line);
        loopDepth++;
        List<Stmt> body;
        try {
            body = parseStatements(List.of("endfor", "else"), false);
        } finally {
            loopDepth--;
        }
        List<Stmt> otherwise = next().value().equals("endfor") ? List.of() : parseStatements(List.of("endfor"), true);
        return new Stmt.For(target, iterable, condition, body, otherwise, line);
    }

    private Stmt parseIf() {
        int line = expectName("if").line();
        List<Expr> tests = new ArrayList<>();
        List<List<Stmt>> bodies = new ArrayList<>();
        List<Stmt> otherwise = List.of();
        softDepth++;
        try {
            while (true) {
                tests.add(parseTuple(false, false, null, false, false));
                bodies.add(parseStatements(List.of("elif", "else", "endif"), false));
                Token token = next();
                if (token.isName("elif")) continue;
                if (token.isName("else")) otherwise = parseStatements(List.of("endif"), true);
                break;
            }
        } finally {
            softDepth--;
        }
        return new Stmt.If(tests, bodies, otherwise, line);
    }

    private Stmt parseSet() {
        int line = next().line();
        Expr target = parseAssignTarget(null, true);
        if (skipOperator("=")) return new Stmt.Set(target, parseTuple(false, true, null, false, false), line);
        Expr filters = current().isOperator("|") ? parseFilter(new Expr.BlockValue(line), false) : null;
        return new Stmt.SetBlock(target, filters, parseStatements(List.of("endset"), true), line);
    }

    private Stmt parseWith() {
        int line = next().line();
        List<Expr> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (current().type() != Type.BLOCK_END) {
            if (!targets.isEmpty()) expectOperator(",");
            targets.add(parseAssignTarget(null, false));
            expectOperator("=");
            values.add(parseExpression(true));
        }
        return new Stmt.With(targets, values, parseStatements(List.of("endwith"), true), line);
    }

    private List<Stmt> parsePrint() {
        next();
        List<Stmt> out = new ArrayList<>();
        while (current().type() != Type.BLOCK_END) {
            if (!out.isEmpty()) expectOperator(",");
            Expr e = parseExpression(true);
            out.add(new Stmt.Print(e, e.line()));
        }
        return out;
    }

    private Stmt parseGeneration() {
        int line = next().line();
        return new Stmt.Scope(parseStatements(List.of("endgeneration"), true), line);
    }

    private Stmt parseFilterBlock() {
        int line = next().line();
        Expr filters = parseFilter(new Expr.BlockValue(line), true);
        return new Stmt.FilterBlock(filters, parseStatements(List.of("endfilter"), true), line);
    }

    private Stmt.Macro parseMacro() {
        int line = next().line();
        String name = (String) expect(Type.NAME).value();
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
        expectOperator("(");
        while (!current().isOperator(")")) {
            if (!params.isEmpty()) expectOperator(",");
            Token name = expect(Type.NAME);
            if (skipOperator("=")) {
                defaults.add(parseExpression(true));
            } else if (!defaults.isEmpty()) {
                throw fail("non-default argument follows default argument", name.line());
            }
            params.add((String) name.value());
        }
        expectOperator(")");
    }

    private Stmt parseCallBlock() {
        int line = next().line();
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        if (current().isOperator("(")) parseSignature(params, defaults);
        Expr call = parseExpression(true);
        if (!(call instanceof Expr.Call c)) throw fail("expected call", line);
        return new Stmt.CallBlock(c, macro("caller", params, defaults, List.of("endcall"), line), line);
    }

    private Expr parseAssignTarget(Set<String> extraEndRules, boolean withNamespace) {
        Expr target = parseTuple(true, true, extraEndRules, false, withNamespace);
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
        throw fail("can't assign to '" + kind + "'", target.line());
    }

    // ---- expressions ----

    private Expr parseExpression(boolean withCondexpr) {
        return withCondexpr ? parseCondexpr() : parseOr();
    }

    private Expr parseCondexpr() {
        int line = current().line();
        Expr expr = parseOr();
        while (skipName("if")) {
            softDepth++;
            try {
                Expr test = parseOr();
                Expr otherwise = skipName("else") ? parseCondexpr() : null;
                expr = new Expr.Conditional(test, expr, otherwise, line);
            } finally {
                softDepth--;
            }
            line = current().line();
        }
        return expr;
    }

    private Expr parseOr() {
        int line = current().line();
        Expr left = parseAnd();
        while (skipName("or")) {
            left = new Expr.Binary(Expr.BinaryOp.OR, left, parseAnd(), line);
            line = current().line();
        }
        return left;
    }

    private Expr parseAnd() {
        int line = current().line();
        Expr left = parseNot();
        while (skipName("and")) {
            left = new Expr.Binary(Expr.BinaryOp.AND, left, parseNot(), line);
            line = current().line();
        }
        return left;
    }

    private Expr parseNot() {
        if (current().isName("not")) {
            int line = next().line();
            return new Expr.Unary(Expr.UnaryOp.NOT, parseNot(), line);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        int line = current().line();
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> operands = new ArrayList<>();
        while (true) {
            Token t = current();
            if (t.type() == Type.OPERATOR && COMPARE_OPS.contains((String) t.value())) {
                next();
                ops.add((String) t.value());
            } else if (skipName("in")) {
                ops.add("in");
            } else if (t.isName("not") && look().isName("in")) {
                next();
                next();
                ops.add("notin");
            } else {
                break;
            }
            operands.add(parseMath1());
            line = current().line();
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, operands, line);
    }

    private Expr parseMath1() {
        int line = current().line();
        Expr left = parseConcat();
        while (current().isOperator("+") || current().isOperator("-")) {
            Expr.BinaryOp op = next().value().equals("+") ? Expr.BinaryOp.ADD : Expr.BinaryOp.SUB;
            left = new Expr.Binary(op, left, parseConcat(), line);
            line = current().line();
        }
        return left;
    }

    private Expr parseConcat() {
        int line = current().line();
        List<Expr> parts = new ArrayList<>(List.of(parseMath2()));
        while (skipOperator("~")) parts.add(parseMath2());
        return parts.size() == 1 ? parts.get(0) : new Expr.Concat(parts, line);
    }

    private Expr parseMath2() {
        int line = current().line();
        Expr left = parsePow();
        while (true) {
            Expr.BinaryOp op;
            if (current().isOperator("*")) op = Expr.BinaryOp.MUL;
            else if (current().isOperator("/")) op = Expr.BinaryOp.DIV;
            else if (current().isOperator("//")) op = Expr.BinaryOp.FLOORDIV;
            else if (current().isOperator("%")) op = Expr.BinaryOp.MOD;
            else return left;
            next();
            left = new Expr.Binary(op, left, parsePow(), line);
            line = current().line();
        }
    }

    private Expr parsePow() {
        int line = current().line();
        Expr left = parseUnary(true);
        while (skipOperator("**")) {
            left = new Expr.Binary(Expr.BinaryOp.POW, left, parseUnary(true), line);
            line = current().line();
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        int line = current().line();
        Expr node;
        if (skipOperator("-")) {
            node = new Expr.Unary(Expr.UnaryOp.NEG, parseUnary(false), line);
        } else if (skipOperator("+")) {
            node = new Expr.Unary(Expr.UnaryOp.POS, parseUnary(false), line);
        } else {
            node = parsePrimary(false);
        }
        node = parsePostfix(node);
        return withFilter ? parseFilterExpr(node) : node;
    }

    private Expr parsePrimary(boolean withNamespace) {
        Token token = current();
        switch (token.type()) {
            case NAME -> {
                next();
                String name = (String) token.value();
                switch (name) {
                    case "true", "True" -> { return new Expr.Const(true, token.line()); }
                    case "false", "False" -> { return new Expr.Const(false, token.line()); }
                    case "none", "None" -> { return new Expr.Const(null, token.line()); }
                    default -> { }
                }
                if (withNamespace && current().isOperator(".")) {
                    next();
                    return new Expr.NamespaceRef(name, (String) expect(Type.NAME).value(), token.line());
                }
                return new Expr.Name(name, token.line());
            }
            case STRING -> {
                StringBuilder b = new StringBuilder();
                while (current().type() == Type.STRING) b.append((String) next().value());
                return new Expr.Const(b.toString(), token.line());
            }
            case INTEGER, FLOAT -> {
                next();
                return new Expr.Const(token.value(), token.line());
            }
            case OPERATOR -> {
                if (token.isOperator("(")) {
                    next();
                    Expr e = parseTuple(false, true, null, true, false);
                    expectOperator(")");
                    return e;
                }
                if (token.isOperator("[")) return parseList();
                if (token.isOperator("{")) return parseDict();
            }
            default -> { }
        }
        throw fail("unexpected " + describe(token), token.line());
    }

    /** Expressions separated by commas; two or more (or a trailing comma) make a tuple. */
    private Expr parseTuple(boolean simplified, boolean withCondexpr, Set<String> extraEndRules,
            boolean explicitParentheses, boolean withNamespace) {
        int line = current().line();
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) expectOperator(",");
            if (isTupleEnd(extraEndRules)) break;
            items.add(simplified ? parsePrimary(withNamespace) : parseExpression(withCondexpr));
            if (current().isOperator(",")) {
                isTuple = true;
            } else {
                break;
            }
            line = current().line();
        }
        if (!isTuple) {
            if (!items.isEmpty()) return items.get(0);
            if (!explicitParentheses) throw fail("Expected an expression, got " + describe(current()), current().line());
        }
        return new Expr.TupleLiteral(items, line);
    }

    private boolean isTupleEnd(Set<String> extraEndRules) {
        Token t = current();
        if (t.type() == Type.VARIABLE_END || t.type() == Type.BLOCK_END || t.isOperator(")")) return true;
        return extraEndRules != null && t.type() == Type.NAME && extraEndRules.contains((String) t.value());
    }

    private Expr parseList() {
        int line = expectOperator("[").line();
        List<Expr> items = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!items.isEmpty()) expectOperator(",");
            if (current().isOperator("]")) break;
            items.add(parseExpression(true));
        }
        expectOperator("]");
        return new Expr.ListLiteral(items, line);
    }

    private Expr parseDict() {
        int line = expectOperator("{").line();
        List<Expr> keys = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!current().isOperator("}")) {
            if (!keys.isEmpty()) expectOperator(",");
            if (current().isOperator("}")) break;
            keys.add(parseExpression(true));
            expectOperator(":");
            values.add(parseExpression(true));
        }
        expectOperator("}");
        return new Expr.DictLiteral(keys, values, line);
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            if (current().isOperator(".") || current().isOperator("[")) {
                node = parseSubscript(node);
            } else if (current().isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            if (current().isOperator("|")) {
                node = parseFilter(node, false);
            } else if (current().isName("is")) {
                node = parseTest(node);
            } else if (current().isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node) {
        Token token = next();
        if (token.isOperator(".")) {
            Token attr = next();
            if (attr.type() == Type.NAME) return new Expr.Attribute(node, (String) attr.value(), token.line());
            if (attr.type() != Type.INTEGER) throw fail("expected name or number", attr.line());
            return new Expr.Item(node, new Expr.Const(attr.value(), attr.line()), token.line());
        }
        List<Expr> args = new ArrayList<>();
        while (!current().isOperator("]")) {
            if (!args.isEmpty()) expectOperator(",");
            args.add(parseSubscribed());
        }
        expectOperator("]");
        Expr key = args.size() == 1 ? args.get(0) : new Expr.TupleLiteral(args, token.line());
        return new Expr.Item(node, key, token.line());
    }

    private Expr parseSubscribed() {
        int line = current().line();
        Expr start = null;
        if (!skipOperator(":")) {
            Expr node = parseExpression(true);
            if (!current().isOperator(":")) return node;
            next();
            start = node;
        }
        Expr stop = null, step = null;
        if (!current().isOperator(":") && !current().isOperator("]") && !current().isOperator(",")) {
            stop = parseExpression(true);
        }
        if (skipOperator(":")) {
            if (!current().isOperator("]") && !current().isOperator(",")) step = parseExpression(true);
        }
        return new Expr.Slice(start, stop, step, line);
    }

    private Expr parseCall(Expr node) {
        int line = current().line();
        return new Expr.Call(node, parseCallArgs(), line);
    }

    private Expr.Args parseCallArgs() {
        Token open = expectOperator("(");
        List<Expr> positional = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        Expr star = null, starStar = null;
        boolean requireComma = false;
        while (!current().isOperator(")")) {
            if (requireComma) {
                expectOperator(",");
                if (current().isOperator(")")) break;
            }
            if (skipOperator("*")) {
                if (star != null || starStar != null) throw fail("invalid syntax for function call expression", open.line());
                star = parseExpression(true);
            } else if (skipOperator("**")) {
                if (starStar != null) throw fail("invalid syntax for function call expression", open.line());
                starStar = parseExpression(true);
            } else if (current().type() == Type.NAME && look().isOperator("=")) {
                if (starStar != null) throw fail("invalid syntax for function call expression", open.line());
                names.add((String) next().value());
                next();
                values.add(parseExpression(true));
            } else {
                if (star != null || starStar != null || !names.isEmpty()) {
                    throw fail("invalid syntax for function call expression", open.line());
                }
                positional.add(parseExpression(true));
            }
            requireComma = true;
        }
        expectOperator(")");
        return new Expr.Args(positional, names, values, star, starStar);
    }

    private Expr parseFilter(Expr node, boolean startInline) {
        while (current().isOperator("|") || startInline) {
            if (!startInline) next();
            Token token = expect(Type.NAME);
            String name = dottedName((String) token.value());
            if (softDepth == 0 && !Filters.exists(name)) throw fail(Filters.unavailable(name, false), token.line());
            Expr.Args args = current().isOperator("(") ? parseCallArgs() : Expr.Args.NONE;
            node = new Expr.Filter(node, name, args, token.line());
            startInline = false;
        }
        return node;
    }

    private Expr parseTest(Expr node) {
        Token is = next();
        boolean negated = skipName("not");
        Token token = expect(Type.NAME);
        String name = dottedName((String) token.value());
        if (softDepth == 0 && !JinjaTests.exists(name)) throw fail("No test named '" + name + "'.", token.line());
        Expr.Args args = Expr.Args.NONE;
        Token c = current();
        if (c.isOperator("(")) {
            args = parseCallArgs();
        } else if ((c.type() == Type.NAME || c.type() == Type.STRING || c.type() == Type.INTEGER || c.type() == Type.FLOAT
                || c.isOperator("[") || c.isOperator("{"))
                && !c.isName("else") && !c.isName("or") && !c.isName("and")) {
            if (c.isName("is")) throw fail("You cannot chain multiple tests with is", c.line());
            Expr arg = parsePostfix(parsePrimary(false));
            args = new Expr.Args(List.of(arg), List.of(), List.of(), null, null);
        }
        Expr test = new Expr.Test(node, name, args, is.line());
        return negated ? new Expr.Unary(Expr.UnaryOp.NOT, test, is.line()) : test;
    }

    private String dottedName(String first) {
        StringBuilder name = new StringBuilder(first);
        while (skipOperator(".")) name.append('.').append((String) expect(Type.NAME).value());
        return name.toString();
    }
}
