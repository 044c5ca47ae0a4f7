package dev.euclid.chat;

/**
 * markupsafe's Markup, the result of the {@code safe} and {@code escape} filters: a string marked
 * as already escaped, so that concatenating a plain string to it with {@code +} escapes the plain one.
 */
record Markup(String text) {
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append("&#39;");
                case '"' -> b.append("&#34;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** markupsafe.escape: Markup passes through, anything else is str()-ed and escaped. */
    static Markup of(Object value) {
        return value instanceof Markup m ? m : new Markup(escape(PyStr.str(value)));
    }
}
