package dev.euclid.chat;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a template into tokens exactly as Jinja2's lexer does with Hugging Face's settings
 * ({@code trim_blocks} and {@code lstrip_blocks} on, {@code keep_trailing_newline} off): the
 * whitespace a chat template emits depends on every rule here, so each mirrors Jinja2's regexes.
 */
final class Lexer {
    enum Type { DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF }

    record Token(Type type, Object value, int line) {
        boolean is(Type t, String v) {
            return type == t && v.equals(value);
        }

        boolean isName(String v) {
            return is(Type.NAME, v);
        }

        boolean isOperator(String v) {
            return is(Type.OPERATOR, v);
        }
    }

    private static final Pattern FLOAT = Pattern.compile(
            "(?<!\\.)(\\d+_)*\\d+((\\.(\\d+_)*\\d+)?e[+\\-]?(\\d+_)*\\d+|\\.(\\d+_)*\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern INTEGER = Pattern.compile(
            "0b(_?[0-1])+|0o(_?[0-7])+|0x(_?[\\da-f])+|[1-9](_?\\d)*|0(_?0)*", Pattern.CASE_INSENSITIVE);
    private static final Pattern RAW_BEGIN = Pattern.compile("\\{%[-+]?(\\s*)raw(\\s*)(-%}|%})", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern RAW_END = Pattern.compile("\\{%([-+]?)\\s*endraw\\s*(\\+%}|-%}|%})",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final String[] OPERATORS = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[",
        "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"};

    private final String src;
    private final String templateName;
    private final int[] lineStarts;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private boolean lineStarting = true;

    private Lexer(String source, String templateName) {
        this.src = normalize(source);
        this.templateName = templateName;
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < src.length(); i++) if (src.charAt(i) == '\n') starts.add(i + 1);
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<Token> tokenize(String source, String templateName) {
        Lexer lexer = new Lexer(source, templateName);
        lexer.root();
        lexer.tokens.add(new Token(Type.EOF, null, lexer.lineAt(lexer.src.length())));
        return lexer.tokens;
    }

    /** Every newline becomes \n and one trailing newline is dropped, as Jinja2 does before lexing. */
    static String normalize(String source) {
        String s = source.replace("\r\n", "\n").replace('\r', '\n');
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private int lineAt(int position) {
        int i = Arrays.binarySearch(lineStarts, position);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    private ChatTemplateException error(int position, String message) {
        return new ChatTemplateException(templateName, lineAt(position), message);
    }

    private void root() {
        while (pos < src.length()) {
            int at = nextTag(pos);
            if (at < 0) {
                emit(Type.DATA, src.substring(pos), pos);
                return;
            }
            char kind = src.charAt(at + 1);
            Matcher raw = kind == '%' ? RAW_BEGIN.matcher(src).region(at, src.length()) : null;
            boolean isRaw = raw != null && raw.lookingAt();
            int signAt = at + 2;
            char sign = signAt < src.length() && (src.charAt(signAt) == '-' || src.charAt(signAt) == '+')
                    ? src.charAt(signAt) : 0;
            emit(Type.DATA, stripBefore(src.substring(pos, at), sign, kind == '{'), pos);
            lineStarting = false;
            pos = sign != 0 ? signAt + 1 : signAt;
            if (isRaw) {
                pos = raw.end();
                if (raw.group(3).startsWith("-")) skipWhitespace();
                lineStarting = pos > 0 && src.charAt(pos - 1) == '\n';
                rawBody();
            } else if (kind == '#') {
                comment(at);
            } else {
                tag(kind == '{' ? Type.VARIABLE_BEGIN : Type.BLOCK_BEGIN, at);
            }
        }
    }

    /** The earliest "{{", "{%" or "{#" at or after from, or -1. */
    private int nextTag(int from) {
        for (int i = src.indexOf('{', from); i >= 0 && i + 1 < src.length(); i = src.indexOf('{', i + 1)) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') return i;
        }
        return -1;
    }

    /**
     * Whitespace control for the text before a tag: "-" strips all trailing whitespace; otherwise
     * lstrip_blocks removes spaces and tabs between the line start and a block or comment tag.
     */
    private String stripBefore(String text, char sign, boolean variable) {
        if (sign == '-') return PyStrings.strip(text, null, false, true);
        if (sign == '+' || variable) return text;
        int lineStart = text.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < text.length() && allSpace(text, lineStart)) {
            return text.substring(0, lineStart);
        }
        return text;
    }

    private static boolean allSpace(String s, int from) {
        for (int i = from; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!PyStrings.isSpace(cp)) return false;
            i += Character.charCount(cp);
        }
        return true;
    }

    private void comment(int at) {
        int end = src.indexOf("#}", pos);
        if (end < 0) throw error(at, "Missing end of comment tag");
        char sign = end - 1 >= pos ? src.charAt(end - 1) : 0;
        pos = end + 2;
        if (sign == '-') {
            skipWhitespace();
        } else if (sign != '+' && pos < src.length() && src.charAt(pos) == '\n') {
            pos++; // trim_blocks
        }
        lineStarting = src.charAt(pos - 1) == '\n';
    }

    private void rawBody() {
        Matcher end = RAW_END.matcher(src);
        if (!end.find(pos)) throw error(pos, "Missing end of raw directive");
        char sign = end.group(1).isEmpty() ? 0 : end.group(1).charAt(0);
        emit(Type.DATA, stripBefore(src.substring(pos, end.start()), sign, false), pos);
        pos = end.end();
        String close = end.group(2);
        if (close.startsWith("-")) {
            skipWhitespace();
        } else if (close.startsWith("%") && pos < src.length() && src.charAt(pos) == '\n') {
            pos++;
        }
        lineStarting = src.charAt(pos - 1) == '\n';
    }

    /** The tokens inside {{ }} or {% %}, up to the matching end while no bracket is open. */
    private void tag(Type begin, int at) {
        tokens.add(new Token(begin, null, lineAt(at)));
        Deque<Character> brackets = new ArrayDeque<>();
        while (true) {
            if (brackets.isEmpty() && tagEnd(begin)) return;
            if (pos >= src.length()) {
                throw error(at, "unexpected end of template: the " + (begin == Type.BLOCK_BEGIN ? "{%" : "{{")
                        + " tag opened here is not closed");
            }
            int cp = src.codePointAt(pos);
            if (PyStrings.isSpace(cp)) {
                skipWhitespace();
            } else if (!number() && !name() && !string()) {
                operator(brackets);
            }
            lineStarting = src.charAt(pos - 1) == '\n';
        }
    }

    private boolean tagEnd(Type begin) {
        int start = pos;
        if (begin == Type.BLOCK_BEGIN) {
            if (src.startsWith("+%}", pos)) {
                pos += 3;
            } else if (src.startsWith("-%}", pos)) {
                pos += 3;
                skipWhitespace();
            } else if (src.startsWith("%}", pos)) {
                pos += 2;
                if (pos < src.length() && src.charAt(pos) == '\n') pos++; // trim_blocks
            } else {
                return false;
            }
            tokens.add(new Token(Type.BLOCK_END, null, lineAt(start)));
        } else {
            if (src.startsWith("-}}", pos)) {
                pos += 3;
                skipWhitespace();
            } else if (src.startsWith("}}", pos)) {
                pos += 2;
            } else {
                return false;
            }
            tokens.add(new Token(Type.VARIABLE_END, null, lineAt(start)));
        }
        lineStarting = src.charAt(pos - 1) == '\n';
        return true;
    }

    private void skipWhitespace() {
        while (pos < src.length()) {
            int cp = src.codePointAt(pos);
            if (!PyStrings.isSpace(cp)) return;
            pos += Character.charCount(cp);
        }
    }

    private boolean number() {
        Matcher f = FLOAT.matcher(src).region(pos, src.length()).useTransparentBounds(true);
        if (f.lookingAt()) {
            tokens.add(new Token(Type.FLOAT, Double.parseDouble(f.group().replace("_", "")), lineAt(pos)));
            pos = f.end();
            return true;
        }
        Matcher i = INTEGER.matcher(src).region(pos, src.length());
        if (!i.lookingAt()) return false;
        String digits = i.group().replace("_", "").toLowerCase(java.util.Locale.ROOT);
        int radix = digits.startsWith("0x") ? 16 : digits.startsWith("0o") ? 8 : digits.startsWith("0b") ? 2 : 10;
        BigInteger value = new BigInteger(radix == 10 ? digits : digits.substring(2), radix);
        tokens.add(new Token(Type.INTEGER, PyOps.integer(value), lineAt(pos)));
        pos = i.end();
        return true;
    }

    private boolean name() {
        int cp = src.codePointAt(pos);
        if (cp != '_' && !Character.isUnicodeIdentifierStart(cp)) return false;
        int start = pos;
        pos += Character.charCount(cp);
        while (pos < src.length()) {
            cp = src.codePointAt(pos);
            if (cp != '_' && !Character.isUnicodeIdentifierPart(cp)) break;
            pos += Character.charCount(cp);
        }
        tokens.add(new Token(Type.NAME, src.substring(start, pos), lineAt(start)));
        return true;
    }

    private boolean string() {
        char quote = src.charAt(pos);
        if (quote != '\'' && quote != '"') return false;
        int i = pos + 1;
        while (i < src.length() && src.charAt(i) != quote) i += src.charAt(i) == '\\' ? 2 : 1;
        if (i >= src.length()) throw error(pos, "unterminated string literal");
        tokens.add(new Token(Type.STRING, unescape(src.substring(pos + 1, i), pos), lineAt(pos)));
        pos = i + 1;
        return true;
    }

    /** Python's unicode-escape decoding of a string literal's body, as Jinja2 applies it. */
    private String unescape(String body, int at) {
        if (body.indexOf('\\') < 0) return body;
        StringBuilder b = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                b.append(c);
                continue;
            }
            int cp = body.codePointAt(++i);
            switch (cp) {
                case '\n' -> { }
                case '\\', '\'', '"' -> b.append((char) cp);
                case 'a' -> b.append('\u0007');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'v' -> b.append('\u000b');
                case 'x', 'u', 'U' -> {
                    int digits = cp == 'x' ? 2 : cp == 'u' ? 4 : 8;
                    String hex = body.substring(i + 1, Math.min(body.length(), i + 1 + digits));
                    if (hex.length() < digits || !hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        throw error(at, "truncated \\" + (char) cp + " escape in a string literal");
                    }
                    int value = (int) Long.parseLong(hex, 16);
                    if (!Character.isValidCodePoint(value)) throw error(at, "illegal Unicode character in a string literal");
                    b.appendCodePoint(value);
                    i += digits;
                }
                case 'N' -> throw error(at, "\\N{...} escapes are not supported in chat templates");
                default -> {
                    if (cp >= '0' && cp <= '7') {
                        int end = i;
                        while (end < body.length() && end < i + 3 && body.charAt(end) >= '0' && body.charAt(end) <= '7') end++;
                        b.append((char) Integer.parseInt(body.substring(i, end), 8));
                        i = end - 1;
                    } else if (cp > 0x7f) {
                        // backslashreplace turned the character into an escape after a literal backslash
                        b.append('\\').append(cp <= 0xff ? String.format("x%02x", cp)
                                : cp <= 0xffff ? String.format("u%04x", cp) : String.format("U%08x", cp));
                        i += Character.charCount(cp) - 1;
                    } else {
                        b.append('\\').append((char) cp);
                    }
                }
            }
        }
        return b.toString();
    }

    private void operator(Deque<Character> brackets) {
        for (String op : OPERATORS) {
            if (!src.startsWith(op, pos)) continue;
            char c = op.charAt(0);
            if (op.length() == 1 && (c == '{' || c == '(' || c == '[')) {
                brackets.push(c == '{' ? '}' : c == '(' ? ')' : ']');
            } else if (op.length() == 1 && (c == '}' || c == ')' || c == ']')) {
                if (brackets.isEmpty()) throw error(pos, "unexpected '" + c + "'");
                char expected = brackets.pop();
                if (expected != c) throw error(pos, "unexpected '" + c + "', expected '" + expected + "'");
            }
            tokens.add(new Token(Type.OPERATOR, op, lineAt(pos)));
            pos += op.length();
            return;
        }
        throw error(pos, "unexpected char " + PyStr.repr(new String(Character.toChars(src.codePointAt(pos))))
                + " at " + pos);
    }

    private void emit(Type type, String text, int at) {
        if (!text.isEmpty()) tokens.add(new Token(type, text, lineAt(at)));
    }
}
