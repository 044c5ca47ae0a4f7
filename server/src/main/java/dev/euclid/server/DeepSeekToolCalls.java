package dev.euclid.server;

/**
 * DeepSeek calls, as the V3 / R1 and V3.1 templates teach them: a block
 * {@code <｜tool▁calls▁begin｜>...<｜tool▁calls▁end｜>} of calls
 * {@code <｜tool▁call▁begin｜>...<｜tool▁call▁end｜>}, each either
 * {@code function<｜tool▁sep｜>NAME\n```json\n{ARGS}\n```} (V3, R1) or {@code NAME<｜tool▁sep｜>{ARGS}}
 * (V3.1). Text before the block is content. The block's markers belong to its first and last calls.
 */
final class DeepSeekToolCalls implements ToolCallScanner {
    static final String CALLS_BEGIN = "<｜tool▁calls▁begin｜>";
    static final String CALLS_END = "<｜tool▁calls▁end｜>";
    static final String CALL_BEGIN = "<｜tool▁call▁begin｜>";
    static final String CALL_END = "<｜tool▁call▁end｜>";
    static final String SEP = "<｜tool▁sep｜>";

    private boolean inBlock;

    @Override
    public Segment next(String pending, boolean end) {
        if (pending.isEmpty()) return null;
        int p = 0;
        if (!inBlock) {
            int open = pending.indexOf(CALLS_BEGIN);
            if (open != 0) return ToolCallScanner.contentBefore(pending, open, CALLS_BEGIN, end);
            p = CALLS_BEGIN.length();
        }
        p = ToolCallScanner.skipSpace(pending, p);
        if (!pending.startsWith(CALL_BEGIN, p)) {
            if (!end && CALL_BEGIN.startsWith(pending.substring(p))) return null;  // a call may still begin here
            // The block holds something other than calls (or nothing): the model left the syntax.
            inBlock = false;
            return Segment.malformed(pending.length());
        }
        int close = pending.indexOf(CALL_END, p);
        if (close < 0 && !end) return null;
        int bodyEnd = close < 0 ? pending.length() : close;
        ToolCall call = call(pending.substring(p + CALL_BEGIN.length(), bodyEnd));
        if (close < 0 || call == null) {
            inBlock = false;
            return Segment.malformed(close < 0 ? pending.length() : close + CALL_END.length());
        }
        // The block's end belongs to its last call; until the next characters come, they may be it.
        int after = ToolCallScanner.skipSpace(pending, close + CALL_END.length());
        String rest = pending.substring(after);
        if (!end && (rest.isEmpty() || CALLS_END.startsWith(rest) || CALL_BEGIN.startsWith(rest))) return null;
        // Another call, or the block's end; anything else ends the block too (the model left the syntax).
        inBlock = rest.startsWith(CALL_BEGIN);
        return Segment.call(rest.startsWith(CALLS_END) ? after + CALLS_END.length() : close + CALL_END.length(), call);
    }

    /** A call's body: {@code function<sep>NAME\n```json ARGS```} (V3) or {@code NAME<sep>ARGS} (V3.1). */
    private static ToolCall call(String body) {
        int sep = body.indexOf(SEP);
        if (sep < 0) return null;
        String head = body.substring(0, sep).strip(), tail = body.substring(sep + SEP.length());
        if (head.equals("function") && tail.contains("```")) {
            int line = tail.indexOf('\n');
            if (line < 0) return null;
            return ToolCallJson.call(tail.substring(0, line).strip(), unfenced(tail.substring(line + 1)));
        }
        return ToolCallJson.call(head, tail.strip());
    }

    /** The text inside a Markdown code fence (```json ... ```), or the text itself without one. */
    private static String unfenced(String text) {
        String s = text.strip();
        if (s.startsWith("```")) {
            int line = s.indexOf('\n');
            s = line < 0 ? "" : s.substring(line + 1);
        }
        if (s.endsWith("```")) s = s.substring(0, s.length() - 3);
        return s.strip();
    }
}
