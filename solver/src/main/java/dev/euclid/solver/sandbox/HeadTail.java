package dev.euclid.solver.sandbox;

import java.nio.charset.StandardCharsets;

/** Caps text the way the fork server does: the first and last half of the budget, with the middle's size in between. */
final class HeadTail {
    private HeadTail() {}

    static String cap(String text, long maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) return text;
        int half = (int) Math.max(1, maxBytes / 2);
        String head = new String(bytes, 0, half, StandardCharsets.UTF_8);
        String tail = new String(bytes, bytes.length - half, half, StandardCharsets.UTF_8);
        return head + "\n... [" + (bytes.length - 2L * half) + " bytes omitted] ...\n" + tail;
    }
}
