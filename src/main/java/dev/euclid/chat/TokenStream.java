package dev.euclid.chat;

import dev.euclid.chat.Lexer.Token;
import dev.euclid.chat.Lexer.Type;
import java.util.List;

/** The parser's cursor over a template's tokens; its errors name the template and the token's line. */
final class TokenStream {
    private final List<Token> tokens;
    private final String templateName;
    private int index;

    TokenStream(List<Token> tokens, String templateName) {
        this.tokens = tokens;
        this.templateName = templateName;
    }

    Token current() {
        return tokens.get(index);
    }

    Token look() {
        return tokens.get(Math.min(index + 1, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(index);
        if (index < tokens.size() - 1) index++;
        return t;
    }

    boolean skipName(String name) {
        if (!current().isName(name)) return false;
        next();
        return true;
    }

    boolean skipOperator(String op) {
        if (!current().isOperator(op)) return false;
        next();
        return true;
    }

    Token expect(Type type) {
        if (current().type() != type) fail("expected " + describe(type, null) + ", got " + describe(current()), current().line());
        return next();
    }

    Token expectName(String name) {
        if (!current().isName(name)) fail("expected '" + name + "', got " + describe(current()), current().line());
        return next();
    }

    Token expectOperator(String op) {
        if (!current().isOperator(op)) fail("expected '" + op + "', got " + describe(current()), current().line());
        return next();
    }

    ChatTemplateException fail(String message, int line) {
        throw new ChatTemplateException(templateName, line, message);
    }

    String describe(Token t) {
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
}
