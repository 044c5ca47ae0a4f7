package dev.euclid.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * Python str semantics over Java strings. Python indexes code points, Java UTF-16 units: every
 * length, index and slice here counts code points, so an emoji is one character as in Python.
 */
final class PyStrings {
    private PyStrings() {}

    /** str.isspace() for one code point: what split(), strip() and Jinja's whitespace control remove. */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0b, 0x0c, '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f,
                    0x205f, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200a;
        };
    }

    static boolean hasSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) if (Character.isSurrogate(s.charAt(i))) return true;
        return false;
    }

    static int length(String s) {
        return hasSurrogates(s) ? s.codePointCount(0, s.length()) : s.length();
    }

    static List<Object> characters(String s) {
        List<Object> out = new ArrayList<>(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int next = i + Character.charCount(cp);
            out.add(s.substring(i, next));
            i = next;
        }
        return out;
    }

    static int[] codePoints(String s) {
        return s.codePoints().toArray();
    }

    static String fromCodePoints(int[] cps, int from, int to) {
        return new String(cps, from, Math.max(0, to - from));
    }

    /** s[index] for a code point index (negative counts from the end), or null when out of range. */
    static String charAt(String s, long index) {
        int[] cps = codePoints(s);
        long i = index < 0 ? index + cps.length : index;
        if (i < 0 || i >= cps.length) return null;
        return new String(cps, (int) i, 1);
    }

    static String strip(String s, String chars, boolean left, boolean right) {
        int[] cps = codePoints(s);
        int[] strip = chars == null ? null : codePoints(chars);
        int from = 0, to = cps.length;
        if (left) while (from < to && stripped(cps[from], strip)) from++;
        if (right) while (to > from && stripped(cps[to - 1], strip)) to--;
        return fromCodePoints(cps, from, to);
    }

    private static boolean stripped(int cp, int[] chars) {
        if (chars == null) return isSpace(cp);
        for (int c : chars) if (c == cp) return true;
        return false;
    }

    /** str.split(sep, maxsplit): with no separator, runs of whitespace split and ends are trimmed. */
    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int[] cps = codePoints(s);
            int i = 0;
            while (true) {
                while (i < cps.length && isSpace(cps[i])) i++;
                if (i == cps.length) break;
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(fromCodePoints(cps, i, cps.length)); // the rest keeps its trailing whitespace
                    break;
                }
                int start = i;
                while (i < cps.length && !isSpace(cps[i])) i++;
                out.add(fromCodePoints(cps, start, i));
            }
            return out;
        }
        if (sep.isEmpty()) throw PyError.value("empty separator");
        int from = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) break;
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** str.rsplit(sep, maxsplit): like split, counting splits from the right. */
    static List<Object> rsplit(String s, String sep, long maxsplit) {
        if (maxsplit < 0) return split(s, sep, maxsplit);
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int[] cps = codePoints(s);
            int i = cps.length;
            while (true) {
                while (i > 0 && isSpace(cps[i - 1])) i--;
                if (i == 0) break;
                if (out.size() == maxsplit) {
                    out.add(0, fromCodePoints(cps, 0, i)); // the rest keeps its leading whitespace
                    break;
                }
                int end = i;
                while (i > 0 && !isSpace(cps[i - 1])) i--;
                out.add(0, fromCodePoints(cps, i, end));
            }
            return out;
        }
        if (sep.isEmpty()) throw PyError.value("empty separator");
        int to = s.length();
        while (out.size() < maxsplit) {
            int at = s.lastIndexOf(sep, to - sep.length());
            if (at < 0) break;
            out.add(0, s.substring(at + sep.length(), to));
            to = at;
        }
        out.add(0, s.substring(0, to));
        return out;
    }

    /** str.splitlines(keepends): every Python line boundary, \r\n as one. */
    static List<Object> splitlines(String s, boolean keepEnds) {
        List<Object> out = new ArrayList<>();
        int start = 0, i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int breakLength = 0;
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                breakLength = 2;
            } else if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e
                    || c == 0x85 || c == 0x2028 || c == 0x2029) {
                breakLength = 1;
            }
            if (breakLength > 0) {
                out.add(s.substring(start, keepEnds ? i + breakLength : i));
                i += breakLength;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) out.add(s.substring(start));
        return out;
    }

    /** str.replace(old, new, count): an empty old inserts new between characters, as in Python. */
    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) count = Long.MAX_VALUE;
        StringBuilder b = new StringBuilder();
        if (old.isEmpty()) {
            List<Object> chars = characters(s);
            long done = 0;
            for (Object ch : chars) {
                if (done++ < count) b.append(replacement);
                b.append((String) ch);
            }
            if (done < count) b.append(replacement);
        } else {
            int from = 0;
            long done = 0;
            while (done < count) {
                int at = s.indexOf(old, from);
                if (at < 0) break;
                b.append(s, from, at).append(replacement);
                from = at + old.length();
                done++;
            }
            b.append(s, from, s.length());
        }
        PyOps.checkLength(b.length());
        return b.toString();
    }

    static String upper(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }

    static String lower(String s) {
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /** str.capitalize(): the first character title-cased, the rest lower-cased. */
    static String capitalize(String s) {
        if (s.isEmpty()) return s;
        int first = s.codePointAt(0);
        return new String(Character.toChars(Character.toTitleCase(first)))
                + lower(s.substring(Character.charCount(first)));
    }

    /** str.title(): a cased character after an uncased one starts a word. */
    static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (previousCased) {
                b.append(lower(new String(Character.toChars(cp))));
            } else {
                b.appendCodePoint(Character.toTitleCase(cp));
            }
            previousCased = isCased(cp);
        }
        return b.toString();
    }

    static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    /** str.islower()/isupper(): at least one cased character and none of the other case. */
    static boolean isLower(String s, boolean upper) {
        boolean cased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (upper ? Character.isLowerCase(cp) || Character.isTitleCase(cp)
                    : Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                return false;
            }
            cased |= isCased(cp);
        }
        return cased;
    }

    /** s[start:stop:step] over code points, with Python's clamping of out-of-range bounds. */
    static String slice(String s, Long start, Long stop, Long step) {
        int[] cps = codePoints(s);
        int[] picked = Slices.indices(cps.length, start, stop, step);
        StringBuilder b = new StringBuilder(picked.length);
        for (int i : picked) b.appendCodePoint(cps[i]);
        return b.toString();
    }
}
