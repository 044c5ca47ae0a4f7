package dev.euclid.tokenizer;

/**
 * Turns a byte stream into text one chunk at a time. A code point split across chunks is held
 * back until its last byte arrives. Malformed input becomes U+FFFD, one per maximal ill-formed
 * subpart (the Unicode-recommended practice, also what Rust's {@code from_utf8_lossy} does), so
 * overlong forms, surrogates and values above U+10FFFF are rejected at the byte that proves them
 * wrong. Not thread-safe.
 */
final class Utf8Accumulator {
    private static final char REPLACEMENT = '\uFFFD';

    private final StringBuilder out = new StringBuilder();
    private int pending;   // continuation bytes still expected
    private int codePoint; // bits collected so far
    private int lower = 0x80;
    private int upper = 0xBF; // allowed range of the next continuation byte

    /** Adds bytes and returns the text they complete ("" if they end inside a character). */
    String append(byte[] bytes) {
        for (byte b : bytes) {
            accept(b & 0xFF);
        }
        return take();
    }

    /** Returns the held-back bytes as U+FFFD (an incomplete sequence is malformed) and resets. */
    String flush() {
        if (pending > 0) {
            out.append(REPLACEMENT);
            pending = 0;
        }
        return take();
    }

    private String take() {
        String text = out.toString();
        out.setLength(0);
        return text;
    }

    private void accept(int b) {
        if (pending > 0) {
            if (b >= lower && b <= upper) {
                codePoint = (codePoint << 6) | (b & 0x3F);
                lower = 0x80;
                upper = 0xBF;
                if (--pending == 0) {
                    out.appendCodePoint(codePoint);
                }
                return;
            }
            out.append(REPLACEMENT); // the incomplete prefix; b itself starts afresh
            pending = 0;
        }
        if (b < 0x80) {
            out.append((char) b);
        } else if (b >= 0xC2 && b <= 0xDF) {
            start(1, b & 0x1F, 0x80, 0xBF);
        } else if (b == 0xE0) {
            start(2, 0, 0xA0, 0xBF); // reject overlong 3-byte forms
        } else if (b == 0xED) {
            start(2, 0xD, 0x80, 0x9F); // reject UTF-16 surrogates
        } else if (b >= 0xE1 && b <= 0xEF) {
            start(2, b & 0x0F, 0x80, 0xBF);
        } else if (b == 0xF0) {
            start(3, 0, 0x90, 0xBF); // reject overlong 4-byte forms
        } else if (b >= 0xF1 && b <= 0xF3) {
            start(3, b & 0x07, 0x80, 0xBF);
        } else if (b == 0xF4) {
            start(3, 4, 0x80, 0x8F); // reject values above U+10FFFF
        } else {
            out.append(REPLACEMENT); // stray continuation byte, C0, C1 or F5..FF
        }
    }

    private void start(int continuationBytes, int bits, int nextLower, int nextUpper) {
        pending = continuationBytes;
        codePoint = bits;
        lower = nextLower;
        upper = nextUpper;
    }
}
