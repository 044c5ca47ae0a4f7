package dev.euclid.server;

/**
 * Reads one tool-call syntax in a model's answer as it grows: each step settles the next piece of
 * the text not yet settled as content or as a call, or says it needs more text to tell. One
 * scanner per answer: a scanner may remember what it has settled.
 */
interface ToolCallScanner {
    /**
     * The next settled piece at the start of {@code pending} (the answer's text not yet settled), or
     * null when more text is needed to tell. With {@code end} (no more text will come) it settles
     * everything: null only for an empty {@code pending}.
     */
    Segment next(String pending, boolean end);

    /**
     * The first {@code length} characters of the pending text: a call, content, or call syntax that
     * holds no valid call ({@code malformed}: content too, but the model meant a call).
     */
    record Segment(int length, ToolCall call, boolean malformed) {
        public Segment {
            if (length <= 0) throw new IllegalArgumentException("a segment settles at least one character, got " + length);
        }

        static Segment content(int length) {
            return new Segment(length, null, false);
        }

        static Segment call(int length, ToolCall call) {
            return new Segment(length, call, false);
        }

        static Segment malformed(int length) {
            return new Segment(length, null, true);
        }
    }

    /**
     * For pending text that does not start with {@code marker} ({@code open}: where it first occurs,
     * or -1): the content before it, holding back an end that a later token may turn into the marker
     * (all of it once {@code end}); null when nothing can be settled yet.
     */
    static Segment contentBefore(String pending, int open, String marker, boolean end) {
        int settled = open > 0 ? open : end ? pending.length() : pending.length() - partialMarker(pending, marker);
        return settled > 0 ? Segment.content(settled) : null;
    }

    /** The index of the first character of {@code s} from {@code from} on that is not whitespace. */
    static int skipSpace(String s, int from) {
        while (from < s.length() && Character.isWhitespace(s.charAt(from))) from++;
        return from;
    }

    /**
     * The length of the longest end of {@code text} that begins {@code marker} without being all of
     * it: text a later token may turn into the marker, so it waits.
     */
    static int partialMarker(String text, String marker) {
        for (int n = Math.min(marker.length() - 1, text.length()); n > 0; n--) {
            if (text.regionMatches(text.length() - n, marker, 0, n)) return n;
        }
        return 0;
    }
}
