package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the tool-call parser tests share: an answer parsed whole, and the same answer streamed in
 * pieces, each reduced to its content and its calls' names and arguments (ids are random).
 */
final class ToolCallCases {
    private ToolCallCases() {}

    /** A parsed answer: content (null when only calls) and each call as "name arguments". */
    record Parsed(String content, List<String> calls) {}

    static Parsed whole(Supplier<ToolCallScanner> scanner, String text) {
        ToolCallStream.Reply r = ToolCallStream.parse(scanner.get(), text);
        return new Parsed(r.content(), r.calls().stream().map(ToolCallCases::call).toList());
    }

    /** The answer streamed as {@code deltas}: content pieces joined (null when none), calls in order. */
    static Parsed streamed(Supplier<ToolCallScanner> scanner, List<String> deltas) {
        ToolCallStream s = new ToolCallStream(scanner.get());
        List<ToolCallStream.Piece> pieces = new ArrayList<>();
        for (String d : deltas) pieces.addAll(s.add(d));
        pieces.addAll(s.finish());
        StringBuilder content = new StringBuilder();
        List<String> calls = new ArrayList<>();
        for (ToolCallStream.Piece p : pieces) {
            if (p instanceof ToolCallStream.Text t) {
                content.append(t.text());
            } else {
                ToolCallStream.Call c = (ToolCallStream.Call) p;
                assertEquals(calls.size(), c.index(), "calls are numbered in order");
                calls.add(call(c.call()));
            }
        }
        return new Parsed(content.isEmpty() ? null : content.toString(), calls);
    }

    /**
     * Streaming {@code text} in two deltas split at every position, and one character at a time,
     * hands out what parsing it whole does (for answers without malformed calls, where the two
     * differ by design).
     */
    static void assertStreamsAsWhole(Supplier<ToolCallScanner> scanner, String text) {
        Parsed whole = whole(scanner, text);
        for (int i = 0; i <= text.length(); i++) {
            assertEquals(whole, streamed(scanner, List.of(text.substring(0, i), text.substring(i))), "split at " + i
                    + " of: " + text);
        }
        List<String> chars = new ArrayList<>();
        text.codePoints().forEach(c -> chars.add(new String(Character.toChars(c))));
        assertEquals(whole, streamed(scanner, chars), "one character at a time: " + text);
    }

    private static String call(ToolCall c) {
        // OpenAI's shape, or the 9 letters and digits Mistral's templates demand.
        if (!c.id().matches("call_[A-Za-z0-9]{24}|[A-Za-z0-9]{9}")) throw new AssertionError("not a call id: " + c.id());
        return c.name() + " " + c.arguments();
    }
}
