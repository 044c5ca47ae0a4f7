package dev.euclid.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's bytes_to_unicode table: byte-level BPE spells every byte as a printable character
 * so that vocab entries are ordinary strings. Bytes that are printable Latin-1 ('!'..'~',
 * '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 map, in byte order, to U+0100 onwards.
 */
final class ByteLevelAlphabet {
    private static final char[] CHAR_OF_BYTE = new char[256];
    private static final int[] BYTE_OF_CHAR = new int[0x100 + 68];

    static {
        Arrays.fill(BYTE_OF_CHAR, -1);
        int next = 0x100;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            CHAR_OF_BYTE[b] = c;
            BYTE_OF_CHAR[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The text's UTF-8 bytes, each spelled as its byte-level character. */
    static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * The bytes a byte-level token stands for. As in Hugging Face's ByteLevel decoder, a token
     * with any character outside the alphabet is taken as plain UTF-8 text instead.
     */
    static byte[] decode(String token) {
        byte[] bytes = new byte[token.length()];
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= BYTE_OF_CHAR.length || BYTE_OF_CHAR[c] < 0) {
                return token.getBytes(StandardCharsets.UTF_8);
            }
            bytes[i] = (byte) BYTE_OF_CHAR[c];
        }
        return bytes;
    }
}
