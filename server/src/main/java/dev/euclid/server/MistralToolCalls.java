package dev.euclid.server;

/**
 * Mistral calls, as its templates teach them: {@code [TOOL_CALLS]} followed either by a JSON array
 * of {@code {"name": ..., "arguments": {...}}} objects (Mistral 7B v0.3, Mixtral, Nemo) or by
 * {@code NAME[ARGS]{...}} (later tokenizers, with an optional {@code [CALL_ID]...} before
 * {@code [ARGS]}), several calls each after their own {@code [TOOL_CALLS]}. Text before is content.
 * Ids have 9 letters and digits, the only ones Mistral's templates take back.
 */
final class MistralToolCalls implements ToolCallScanner {
    static final String TOOL_CALLS = "[TOOL_CALLS]";
    static final String ARGS = "[ARGS]";
    static final String CALL_ID = "[CALL_ID]";

    private boolean inArray; // inside [TOOL_CALLS]'s JSON array, after its '[' and between its objects

    @Override
    public Segment next(String pending, boolean end) {
        if (pending.isEmpty()) return null;
        if (inArray) return element(pending, 0, end);
        int open = pending.indexOf(TOOL_CALLS);
        if (open != 0) return ToolCallScanner.contentBefore(pending, open, TOOL_CALLS, end);
        int p = ToolCallScanner.skipSpace(pending, TOOL_CALLS.length());
        if (p == pending.length()) return end ? Segment.malformed(pending.length()) : null;
        if (pending.charAt(p) == '[') return element(pending, p + 1, end);
        return named(pending, p, end);
    }

    /** The array's next object from {@code from}, with the ',' or ']' after it; nothing is settled on null. */
    private Segment element(String pending, int from, boolean end) {
        int p = ToolCallScanner.skipSpace(pending, from);
        if (p == pending.length()) return end ? malformed(pending.length()) : null;
        if (pending.charAt(p) != '{') return malformed(pending.length());
        int close = ToolCallJson.objectEnd(pending, p);
        if (close < 0) return end ? malformed(pending.length()) : null;
        ToolCall call = ToolCallJson.call(pending.substring(p, close));
        if (call == null) return malformed(close);
        int after = ToolCallScanner.skipSpace(pending, close);
        if (after == pending.length() && !end) return null;  // the ',' or ']' may still come
        char next = after < pending.length() ? pending.charAt(after) : 0;
        inArray = next == ',';
        return Segment.call(next == ',' || next == ']' ? after + 1 : close, call.withNineCharacterId());
    }

    /** {@code NAME[CALL_ID]ID[ARGS]{...}} from {@code from}, the call id optional. */
    private Segment named(String pending, int from, boolean end) {
        int args = pending.indexOf(ARGS, from);
        if (args < 0) return end ? Segment.malformed(pending.length()) : null;
        int id = pending.indexOf(CALL_ID, from);
        String name = pending.substring(from, id >= 0 && id < args ? id : args).strip();
        int p = ToolCallScanner.skipSpace(pending, args + ARGS.length());
        if (p == pending.length()) return end ? Segment.malformed(pending.length()) : null;
        if (pending.charAt(p) != '{') return Segment.malformed(pending.length());
        int close = ToolCallJson.objectEnd(pending, p);
        if (close < 0) return end ? Segment.malformed(pending.length()) : null;
        ToolCall call = ToolCallJson.call(name, pending.substring(p, close));
        return call == null ? Segment.malformed(close) : Segment.call(close, call.withNineCharacterId());
    }

    private Segment malformed(int length) {
        inArray = false;
        return Segment.malformed(length);
    }
}
