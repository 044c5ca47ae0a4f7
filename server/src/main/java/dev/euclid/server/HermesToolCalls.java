package dev.euclid.server;

/**
 * Hermes-style calls, as Qwen 2.5's and Hermes' templates teach them: each call is
 * {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>}, one or several, with text
 * before, between or after them. A call cut off by the end of the answer (no closing tag) still
 * counts when its JSON is whole, as in vLLM's hermes parser. The closing tag is looked for after
 * the call's JSON object, so a string argument may hold {@code </tool_call>}.
 */
final class HermesToolCalls implements ToolCallScanner {
    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";

    @Override
    public Segment next(String pending, boolean end) {
        int open = pending.indexOf(OPEN);
        if (open != 0) return ToolCallScanner.contentBefore(pending, open, OPEN, end);
        int body = ToolCallScanner.skipSpace(pending, OPEN.length());
        int objectEnd = body < pending.length() && pending.charAt(body) == '{' ? ToolCallJson.objectEnd(pending, body) : body;
        int close = objectEnd < 0 ? -1 : pending.indexOf(CLOSE, objectEnd);
        if (close < 0 && !end) return null;
        int bodyEnd = close < 0 ? pending.length() : close;
        int length = close < 0 ? pending.length() : close + CLOSE.length();
        ToolCall call = ToolCallJson.call(pending.substring(OPEN.length(), bodyEnd));
        return call != null ? Segment.call(length, call) : Segment.malformed(length);
    }
}
