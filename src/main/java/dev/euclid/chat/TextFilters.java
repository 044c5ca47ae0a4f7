package dev.euclid.chat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja2's text filters that need more than a line: tojson (Hugging Face's plain json.dumps),
 * title, indent and truncate.
 */
final class TextFilters {
    private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s({\\[<]+)", Pattern.UNICODE_CHARACTER_CLASS);

    private TextFilters() {}

    static Object tojson(Object value, Object[] a) {
        Object indent = CallArgs.or(a[1], null);
        String indentText = null;
        if (PyOps.isString(indent)) {
            indentText = PyOps.text(indent);
        } else if (indent != null) {
            indentText = " ".repeat((int) Math.max(0, PyOps.toLong(indent)));
        }
        Object separators = CallArgs.or(a[2], null);
        List<Object> pair = separators == null ? null : PyOps.iterate(separators);
        return JsonDumps.dumps(value, PyOps.truthy(CallArgs.or(a[0], false)), indentText, pair,
                PyOps.truthy(CallArgs.or(a[3], false)));
    }

    /** Jinja2's title filter: words begin after "-", whitespace and opening brackets. */
    static String title(String s) {
        StringBuilder b = new StringBuilder();
        Matcher m = WORD_BEGINNING.matcher(s);
        int from = 0;
        while (m.find()) {
            titleWord(s.substring(from, m.start()), b);
            titleWord(m.group(), b);
            from = m.end();
        }
        titleWord(s.substring(from), b);
        return b.toString();
    }

    private static void titleWord(String item, StringBuilder b) {
        if (item.isEmpty()) return;
        int first = item.codePointAt(0);
        b.append(PyStrings.upper(new String(Character.toChars(first))))
                .append(PyStrings.lower(item.substring(Character.charCount(first))));
    }

    static Object indent(Object value, Object[] a) {
        if (!PyOps.isString(value)) {
            throw PyError.type("indent expects a string (Jinja2 adds a newline to it), not " + PyStr.typeName(value));
        }
        Object width = CallArgs.or(a[0], 4L);
        String indention = PyOps.isString(width) ? PyOps.text(width) : " ".repeat((int) Math.max(0, PyOps.toLong(width)));
        String s = PyStr.str(value) + "\n"; // as Jinja2 does, so that splitlines keeps a trailing empty line
        List<Object> lines = PyStrings.splitlines(s, false);
        String out;
        if (PyOps.truthy(CallArgs.or(a[2], false))) {
            out = String.join("\n" + indention, lines.stream().map(o -> (String) o).toList());
        } else {
            StringBuilder b = new StringBuilder((String) lines.get(0));
            if (lines.size() > 1) {
                b.append('\n');
                for (int i = 1; i < lines.size(); i++) {
                    if (i > 1) b.append('\n');
                    String line = (String) lines.get(i);
                    b.append(line.isEmpty() ? line : indention + line);
                }
            }
            out = b.toString();
        }
        return PyOps.truthy(CallArgs.or(a[1], false)) ? indention + out : out;
    }

    static Object truncate(String s, Object[] a) {
        long length = PyOps.toLong(CallArgs.or(a[0], 255L));
        boolean killwords = PyOps.truthy(CallArgs.or(a[1], false));
        String end = PyStr.str(CallArgs.or(a[2], "..."));
        Long given = CallArgs.optionalLong(a[3]);
        long leeway = given == null ? 5 : given; // Jinja2's default truncate.leeway policy
        if (PyStrings.length(s) <= length + leeway) return s;
        String head = PyStrings.slice(s, 0L, length - PyStrings.length(end), null);
        if (killwords) return head + end;
        return PyStrings.rsplit(head, " ", 1).get(0) + end;
    }
}
