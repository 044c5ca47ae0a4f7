package dev.euclid.synthetic;

/**
 * GPT-2's byte-level spelling (bytes_to_unicode), writing direction only: each byte of a token
 * becomes one printable character in a tokenizer.json vocab or merge. Printable Latin-1 bytes
 * stand for themselves; the other 68 take U+0100 onwards in byte order. The library reads this
 * spelling with its own table; this module must not depend on the library, whose tests use it.
 */
final class ByteLevelSpelling {
    private static final char[] CHAR_OF_BYTE = spellings();

    private ByteLevelSpelling() {
    }

    static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    private static char[] spellings() {
        char[] spelling = new char[256];
        char nextUnprintable = 0x100;
        for (int b = 0; b < spelling.length; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            spelling[b] = printable ? (char) b : nextUnprintable++;
        }
        return spelling;
    }
}
