package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.TextDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Llama2cTokenizerTest {
    private static Llama2cTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = Llama2cTokenizer.load(StoriesReference.dir().resolve("tok512.bin"), 512);
    }

    @Test
    void referencePromptsEncodeToReferenceIds() throws IOException {
        assertArrayEquals(new int[] {1, 403, 407, 261, 378}, tokenizer.encode("Once upon a time"));
        for (StoriesReference run : StoriesReference.load()) {
            assertArrayEquals(run.promptIds(), tokenizer.encode(run.prompt()), run.prompt());
        }
    }

    @Test
    void emptyTextIsJustBos() {
        assertArrayEquals(new int[] {1}, tokenizer.encode(""));
    }

    @Test
    void vocabFacts() {
        assertEquals(512, tokenizer.vocabSize());
        assertEquals(1, tokenizer.bosId());
        assertEquals(2, tokenizer.eosId());
        assertEquals("\n<s>\n", new String(tokenizer.tokenBytes(1), StandardCharsets.UTF_8));
        assertEquals("\n</s>\n", new String(tokenizer.tokenBytes(2), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {'A'}, tokenizer.tokenBytes(3 + 'A'));
        assertEquals(" Once", new String(tokenizer.tokenBytes(403), StandardCharsets.UTF_8));
    }

    @Test
    void decodingReferenceIdsReproducesReferenceText() throws IOException {
        for (StoriesReference run : StoriesReference.load()) {
            String text = tokenizer.decode(run.afterBos(), Llama2cTokenizer.BOS_ID);
            assertTrue(text.startsWith(run.prompt()), text);
            assertEquals(run.text(), text);
            // The same sequence decoded from the start of text keeps BOS's own piece.
            assertEquals("\n<s>\n" + run.text(), tokenizer.decode(run.tokenIds(), -1));
        }
    }

    @Test
    void streamingEqualsWholeDecode() throws IOException {
        for (StoriesReference run : StoriesReference.load()) {
            TextDecoder decoder = tokenizer.decoder(Llama2cTokenizer.BOS_ID);
            StringBuilder streamed = new StringBuilder();
            for (int id : run.afterBos()) {
                streamed.append(decoder.next(id));
            }
            streamed.append(decoder.flush());
            assertEquals(tokenizer.decode(run.afterBos(), Llama2cTokenizer.BOS_ID), streamed.toString());
        }
    }

    @Test
    void utf8SplitAcrossByteFallbackTokensIsHeldBack() {
        String text = "é😀 naïve";
        int[] ids = tokenizer.encode(text);
        // 😀 is not a piece, so it must arrive as four byte tokens (F0 9F 98 80 -> ids byte + 3).
        int start = indexOf(ids, 0xF0 + 3);
        assertTrue(start > 0, Arrays.toString(ids));
        assertArrayEquals(new int[] {0xF0 + 3, 0x9F + 3, 0x98 + 3, 0x80 + 3}, Arrays.copyOfRange(ids, start, start + 4));

        TextDecoder decoder = tokenizer.decoder(ids[0]);
        StringBuilder streamed = new StringBuilder();
        for (int i = 1; i < ids.length; i++) {
            String piece = decoder.next(ids[i]);
            assertWholeCharacters(piece);
            streamed.append(piece);
        }
        assertEquals("", decoder.flush());
        // The dummy-prefix space is dropped because the first piece follows BOS.
        assertEquals(text, streamed.toString());
        assertEquals(text, tokenizer.decode(Arrays.copyOfRange(ids, 1, ids.length), ids[0]));
    }

    @Test
    void leadingSpaceIsStrippedOnlyAfterBos() {
        int[] ids = {403, 407}; // " Once", " upon"
        assertEquals("Once upon", tokenizer.decode(ids, 1));
        assertEquals(" Once upon", tokenizer.decode(ids, 378));
        assertEquals(" Once upon", tokenizer.decode(ids, -1));
    }

    @Test
    void tenMegabytesOfOneCharacterEncodeInNearLinearTime() {
        // "ll" is a piece, so a quadratic merge loop would do five million full scans here.
        String text = "l".repeat(10_000_000);
        int[] ids = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> tokenizer.encode(text));
        // BOS, " l" (dummy prefix merged first: better score than "ll"), then "ll" pairs
        // left to right over the remaining 9,999,999 l's, leaving one "l".
        assertEquals(2 + 4_999_999 + 1, ids.length);
        assertEquals(1, ids[0]);
        assertEquals(278, ids[1]);
        assertEquals(421, ids[ids.length - 1]);
        for (int i = 2; i < ids.length - 1; i++) {
            if (ids[i] != 306) {
                throw new AssertionError("id " + ids[i] + " at " + i);
            }
        }
        assertEquals(text, tokenizer.decode(Arrays.copyOfRange(ids, 1, ids.length), 1));
    }

    @Test
    void outOfRangeIdsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tokenizer.tokenBytes(512));
        assertTrue(e.getMessage().contains("512") && e.getMessage().contains("vocab size 512"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {5, -3}, -1));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        TextDecoder decoder = tokenizer.decoder(-1);
        e = assertThrows(IllegalArgumentException.class, () -> decoder.next(600));
        assertTrue(e.getMessage().contains("600"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decoder(-2));
    }

    @Test
    void loneSurrogatesAreRejectedWithTheirPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encode("ab\uD83Dc"));
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode("x\uDE00"));
        assertTrue(e.getMessage().contains("index 1"), e.getMessage());
    }

    static void assertWholeCharacters(String piece) {
        assertFalse(piece.contains("\uFFFD"), piece);
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertTrue(i + 1 < piece.length() && Character.isLowSurrogate(piece.charAt(++i)), piece);
            } else {
                assertFalse(Character.isSurrogate(c), piece);
            }
        }
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }
}
