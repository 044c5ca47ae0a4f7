package dev.euclid.chat;

import java.util.Random;

/**
 * Random but well-formed-looking templates for differential testing against Jinja2: expressions
 * mixing literals, context values, operators, filters, tests, methods and slices, inside text,
 * if/for/set/macro blocks with random whitespace control. Many fail in Python too; the point is
 * that Euclid fails or renders exactly where Jinja2 does.
 */
final class RandomTemplates {
    private static final String[] NAMES = {"xs", "d", "s", "n", "f", "z", "e", "nil", "t", "items", "nested", "ws",
        "messages", "undefined_name"};
    private static final String[] STRINGS = {"''", "'a'", "\"b c\"", "'Héllo'", "'🌍'", "'x,y,,z'", "' pad '", "'\\n'",
        "'it\\'s'", "\"q\\\"q\"", "'AbC'", "'42'", "'3.5'", "'{}-{}'", "'%s=%d'", "'</think>'"};
    private static final String[] FILTERS = {"trim", "length", "string", "upper", "lower", "title", "capitalize",
        "first", "last", "list", "sort", "unique", "reverse", "join(', ')", "join", "default('dflt')", "default(0, true)",
        "tojson", "tojson(indent=2)", "tojson(sort_keys=true)", "int", "float", "abs", "round(1)", "items", "dictsort",
        "replace('a', 'o')", "center(9)", "indent(2)", "wordcount", "truncate(5, leeway=0)", "min", "max", "sum",
        "map('upper')|list", "map(attribute='name')|list", "selectattr('v')|list", "reject('odd')|list",
        "select('string')|list", "batch(2)|list", "slice(2)|list", "count", "safe", "e", "format(1, 2)", "attr('a')"};
    private static final String[] TESTS = {"defined", "undefined", "none", "string", "number", "integer", "float",
        "mapping", "iterable", "sequence", "boolean", "odd", "even", "divisibleby 2", "in xs", "eq 1", "lower", "upper",
        "true", "false", "callable", "sameas none"};
    private static final String[] METHODS = {"strip()", "split()", "split(',')", "split(',', 1)", "rsplit(' ', 1)",
        "upper()", "lower()", "title()", "startswith('a')", "endswith('z')", "replace('a', 'b')", "find('l')",
        "count('a')", "lstrip('H')", "rstrip()", "splitlines()", "format(1, 'x')", "zfill(4)", "get('a')",
        "get('zz', 1)", "items()", "keys()", "values()", "isdigit()", "join(xs|map('string'))", "index(1)", "copy()"};
    private static final String[] BINARY = {"+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", "<=", ">", ">=",
        "and", "or", "in", "not in"};

    private final Random random;

    RandomTemplates(long seed) {
        this.random = new Random(seed);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    String template() {
        StringBuilder b = new StringBuilder();
        int parts = 1 + random.nextInt(4);
        for (int i = 0; i < parts; i++) b.append(statement(2));
        return b.toString();
    }

    private String statement(int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 4);
        return switch (kind) {
            case 0, 1 -> text();
            case 2, 3 -> "{{" + dash() + " " + expression(2) + " " + dash() + "}}";
            case 4 -> tag("if " + expression(1)) + body(depth) + (random.nextBoolean() ? tag("elif " + expression(1))
                    + body(depth) : "") + (random.nextBoolean() ? tag("else") + body(depth) : "") + tag("endif");
            case 5 -> tag("for x in " + iterable() + (random.nextInt(4) == 0 ? " if x" : "")) + "{{ loop.index }}"
                    + body(depth) + (random.nextInt(3) == 0 ? tag("else") + body(depth) : "") + tag("endfor");
            case 6 -> tag("set v = " + expression(2)) + "{{ v }}";
            case 7 -> tag("set ns = namespace(c=0)") + tag("for x in " + iterable()) + tag("set ns.c = ns.c + 1")
                    + tag("endfor") + "{{ ns.c }}";
            default -> tag("macro m(a, b=" + literal() + ")") + body(depth) + "{{ a }}{{ b }}" + tag("endmacro")
                    + "{{ m(" + expression(1) + ") }}";
        };
    }

    private String body(int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(3); i >= 0; i--) b.append(statement(depth - 1));
        return b.toString();
    }

    private String tag(String content) {
        return indentation() + "{%" + dash() + " " + content + " " + dash() + "%}" + (random.nextBoolean() ? "\n" : "");
    }

    private String dash() {
        int r = random.nextInt(6);
        return r == 0 ? "-" : r == 1 ? "+" : "";
    }

    private String indentation() {
        return switch (random.nextInt(4)) {
            case 0 -> "\n  ";
            case 1 -> "\t";
            case 2 -> " ";
            default -> "";
        };
    }

    private String text() {
        String[] texts = {"a", " b ", "\n", "\n\n", "  \n", "c\n  ", "\t", "é", "{#c#}", "{#- c -#}", " {# c #}\n"};
        return pick(texts);
    }

    private String iterable() {
        String[] options = {"xs", "d", "s", "items", "[]", "range(3)", "xs|reverse", "d.items()", "'ab'", "messages",
            "undefined_name", "[1, 'a', none]"};
        return pick(options);
    }

    private String literal() {
        return switch (random.nextInt(8)) {
            case 0 -> Integer.toString(random.nextInt(21) - 10);
            case 1 -> pick(new String[] {"0.5", "1.0", "-2.25", "1e3", "3.14159", "0.1", "1e-7", "2.5e20"});
            case 2, 3 -> pick(STRINGS);
            case 4 -> pick(new String[] {"none", "true", "false", "True", "None"});
            case 5 -> "[" + literal() + ", " + literal() + "]";
            case 6 -> "{'k': " + literal() + ", 'a': " + literal() + "}";
            default -> "(" + literal() + ",)";
        };
    }

    /**
     * A subscript. Slices only go on names: Jinja2 folds a slice of a literal number at compile
     * time into Undefined, which Euclid (raising the run-time TypeError) does not imitate.
     */
    private String subscript(String target) {
        if (random.nextBoolean()) return pick(NAMES) + "[" + pick(new String[] {"1:", ":-1", "::-1", "1:3", "::2"}) + "]";
        return target + "[" + pick(new String[] {"0", "-1", "'a'", "'name'", "n"}) + "]";
    }

    private String expression(int depth) {
        if (depth <= 0) return random.nextBoolean() ? literal() : pick(NAMES);
        return switch (random.nextInt(10)) {
            case 0 -> expression(depth - 1) + " " + pick(BINARY) + " " + expression(depth - 1);
            case 1 -> expression(depth - 1) + "|" + pick(FILTERS);
            case 2 -> expression(depth - 1) + " is " + (random.nextBoolean() ? "not " : "") + pick(TESTS);
            case 3 -> "(" + expression(depth - 1) + ")." + pick(METHODS);
            case 4 -> subscript(expression(depth - 1));
            case 5 -> expression(depth - 1) + " if " + expression(depth - 1) + (random.nextBoolean() ? " else "
                    + expression(depth - 1) : "");
            case 6 -> "not " + expression(depth - 1);
            case 7 -> "-" + expression(depth - 1);
            case 8 -> pick(NAMES) + "." + pick(new String[] {"a", "name", "content", "role", "b", "c", "x"});
            default -> random.nextBoolean() ? literal() : pick(NAMES);
        };
    }
}
