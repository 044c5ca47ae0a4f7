package dev.euclid.tokenizer;

/**
 * The character classes Hugging Face's tokenizers test with Rust's char methods, for Java code
 * points, with Unicode 14's categories (see {@link Unicode14}).
 */
final class UnicodeClasses {
    private UnicodeClasses() {
    }

    /** Unicode White_Space (Rust's char::is_whitespace), which Character.isWhitespace is not. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || Character.isSpaceChar(cp);
    }

    /** General category M (Mn, Mc, Me). */
    static boolean isMark(int cp) {
        int type = Unicode14.type(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK;
    }

    /** Rust's char::is_numeric: general category Nd, Nl or No. */
    static boolean isNumeric(int cp) {
        int type = Unicode14.type(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /** HF's is_punc: ASCII punctuation (which includes symbols such as $ and +) or general category P. */
    static boolean isPunctuation(int cp) {
        if (cp < 0x80) {
            return (cp >= '!' && cp <= '/') || (cp >= ':' && cp <= '@') || (cp >= '[' && cp <= '`')
                    || (cp >= '{' && cp <= '~');
        }
        int type = Unicode14.type(cp);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }

    /** Unicode {@code \w}: alphabetic, marks, decimal digits, connector punctuation, joiners. */
    static boolean isWordChar(int cp) {
        int type = Unicode14.type(cp);
        return Character.isAlphabetic(cp) || isLetter14(type)
                || type == Character.LETTER_NUMBER || type == Character.DECIMAL_DIGIT_NUMBER || isMark(cp)
                || type == Character.CONNECTOR_PUNCTUATION || cp == 0x200C || cp == 0x200D;
    }

    private static boolean isLetter14(int type) {
        return type == Character.UPPERCASE_LETTER || type == Character.LOWERCASE_LETTER
                || type == Character.TITLECASE_LETTER || type == Character.MODIFIER_LETTER
                || type == Character.OTHER_LETTER;
    }
}
