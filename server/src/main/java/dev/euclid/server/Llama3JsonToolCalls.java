package dev.euclid.server;

/**
 * Llama 3.1-3.3 JSON calls, as their templates teach them: the answer is
 * {@code {"name": ..., "parameters": {...}}} ({@code arguments} also accepted), optionally after
 * {@code <|python_tag|>}, several separated by ';'. Only an answer that opens with a call holds
 * calls (vLLM's streaming rule; its non-streaming search for JSON anywhere would turn an example
 * object in prose into a call); text after the last call is content.
 */
final class Llama3JsonToolCalls implements ToolCallScanner {
    static final String PYTHON_TAG = "<|python_tag|>";

    private boolean plain; // the answer did not open with a call, or stopped calling: the rest is content
    private boolean called; // a call has been read: what follows may be the next

    @Override
    public Segment next(String pending, boolean end) {
        if (pending.isEmpty()) return null;
        if (plain) return Segment.content(pending.length());
        int p = ToolCallScanner.skipSpace(pending, 0);
        if (!called && pending.startsWith(PYTHON_TAG, p)) p = ToolCallScanner.skipSpace(pending, p + PYTHON_TAG.length());
        if (p == pending.length() || !called && !end && PYTHON_TAG.startsWith(pending.substring(p))) {
            // Only spaces or the tag so far: what follows decides.
            if (!end) return null;
            plain = true;
            return Segment.content(pending.length());
        }
        if (pending.charAt(p) != '{') {
            plain = true;
            return Segment.content(pending.length());
        }
        int close = ToolCallJson.objectEnd(pending, p);
        if (close < 0) {
            if (!end) return null;
            plain = true;
            return Segment.malformed(pending.length());
        }
        ToolCall call = ToolCallJson.call(pending.substring(p, close));
        if (call == null) {
            plain = true;
            return Segment.malformed(close);
        }
        // The ';' after a call belongs to it; until the next character comes, a ';' may still.
        int next = ToolCallScanner.skipSpace(pending, close);
        if (next == pending.length() && !end) return null;
        called = true;
        return Segment.call(next < pending.length() && pending.charAt(next) == ';' ? next + 1 : close, call);
    }
}
