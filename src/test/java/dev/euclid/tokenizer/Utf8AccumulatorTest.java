package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8AccumulatorTest {

    @Test
    void holdsBackAnIncompleteCharacterUntilItCompletes() {
        Utf8Accumulator utf8 = new Utf8Accumulator();
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        assertEquals("a", utf8.append(new byte[] {'a', emoji[0]}));
        assertEquals("", utf8.append(new byte[] {emoji[1], emoji[2]}));
        assertEquals("😀b", utf8.append(new byte[] {emoji[3], 'b'}));
        assertEquals("", utf8.flush());
    }

    @Test
    void malformedBytesBecomeOneReplacementPerMaximalSubpart() {
        assertEquals("\uFFFD", decode(0x80), "stray continuation byte");
        assertEquals("\uFFFD\uFFFD", decode(0xC0, 0xAF), "C0 is never valid; AF alone is stray");
        assertEquals("\uFFFD\uFFFD\uFFFD", decode(0xE0, 0x80, 0x80), "overlong: E0 needs A0..BF next");
        assertEquals("\uFFFD\uFFFD\uFFFD", decode(0xED, 0xA0, 0x80), "UTF-16 surrogate");
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD", decode(0xF4, 0x90, 0x80, 0x80), "above U+10FFFF");
        assertEquals("\uFFFDA", decode(0xE2, 0x82, 'A'), "truncated sequence, then a fresh byte");
        assertEquals("\uFFFD", decode(0xF0, 0x9F, 0x98), "incomplete at the end: flush");
        assertEquals("\uFFFD\uFFFD", decode(0xFE, 0xFF));
        assertEquals("é€😀", decode(0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80));
    }

    /**
     * The JDK decoder follows the same practice except for encoded surrogates (ED A0..BF), which
     * it replaces as one unit where Unicode's maximal-subpart rule (and Rust) gives one U+FFFD per byte.
     */
    @Test
    void agreesWithTheJdkDecoderOnAllTwoByteInputs() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                if (a == 0xED && b >= 0xA0) {
                    continue;
                }
                byte[] bytes = {(byte) a, (byte) b};
                assertEquals(new String(bytes, StandardCharsets.UTF_8), decode(a, b), a + " " + b);
            }
        }
    }

    private static String decode(int... bytes) {
        Utf8Accumulator utf8 = new Utf8Accumulator();
        StringBuilder out = new StringBuilder();
        for (int b : bytes) {
            out.append(utf8.append(new byte[] {(byte) b})); // one byte at a time: the hardest split
        }
        return out.append(utf8.flush()).toString();
    }
}
