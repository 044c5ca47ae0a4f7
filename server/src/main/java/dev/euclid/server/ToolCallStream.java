package dev.euclid.server;

import java.util.ArrayList;
import java.util.List;

/**
 * One choice's answer split into content and tool calls as its text arrives: text that may still
 * become a call is held back, a call is handed out once whole. Whitespace next to a call (the
 * newlines templates put around calls) is dropped; every other character of content is handed out
 * exactly once, so an answer without calls comes out unchanged.
 */
final class ToolCallStream {
    /** What a step hands out: content text, or the {@code index}-th call of the answer. */
    sealed interface Piece permits Text, Call {}

    record Text(String text) implements Piece {}

    record Call(int index, ToolCall call) implements Piece {}

    /** A whole answer: {@code content} null when the calls are all there is. */
    record Reply(String content, List<ToolCall> calls) {}

    private final ToolCallScanner scanner;
    private final StringBuilder pending = new StringBuilder();
    // Trailing whitespace of the content so far: handed out before more content, dropped before a call.
    private final StringBuilder space = new StringBuilder();
    private boolean afterCall;
    private int calls;
    private boolean malformed;

    ToolCallStream(ToolCallScanner scanner) {
        this.scanner = scanner;
    }

    /**
     * The whole answer at once. Call syntax that holds no valid call leaves the whole answer as
     * content, as vLLM does (a stream cannot: it has already sent the calls before it).
     */
    static Reply parse(ToolCallScanner scanner, String text) {
        ToolCallStream s = new ToolCallStream(scanner);
        List<Piece> pieces = s.add(text);
        pieces.addAll(s.finish());
        if (s.calls == 0 || s.malformed) return new Reply(text, List.of());
        StringBuilder content = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (Piece p : pieces) {
            if (p instanceof Text t) content.append(t.text());
            else calls.add(((Call) p).call());
        }
        return new Reply(content.isEmpty() ? null : content.toString(), calls);
    }

    /** The pieces that {@code delta}, the answer's next text, settles. */
    List<Piece> add(String delta) {
        pending.append(delta);
        return settle(false);
    }

    /** The answer has ended: everything still held back. */
    List<Piece> finish() {
        List<Piece> out = settle(true);
        if (space.length() > 0) text(out, space.toString());
        space.setLength(0);
        return out;
    }

    /** Whether the answer has called a tool so far. */
    boolean called() {
        return calls > 0;
    }

    private List<Piece> settle(boolean end) {
        List<Piece> out = new ArrayList<>();
        for (ToolCallScanner.Segment s; (s = scanner.next(pending.toString(), end)) != null; ) {
            String piece = pending.substring(0, s.length());
            pending.delete(0, s.length());
            if (s.call() != null) {
                space.setLength(0);
                afterCall = true;
                out.add(new Call(calls++, s.call()));
            } else {
                malformed |= s.malformed();
                content(out, piece);
            }
        }
        return out;
    }

    private void content(List<Piece> out, String piece) {
        String s = afterCall ? piece.stripLeading() : piece;
        if (s.isEmpty()) return;
        afterCall = false;
        String body = s.stripTrailing();
        if (!body.isEmpty()) {
            text(out, space + body);
            space.setLength(0);
        }
        space.append(s, body.length(), s.length());
    }

    /** Adjacent texts become one piece: one chunk per token at most. */
    private static void text(List<Piece> out, String text) {
        if (!out.isEmpty() && out.get(out.size() - 1) instanceof Text last) out.set(out.size() - 1, new Text(last.text() + text));
        else out.add(new Text(text));
    }
}
