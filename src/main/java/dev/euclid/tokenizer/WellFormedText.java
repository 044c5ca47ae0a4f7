package dev.euclid.tokenizer;

/** Rejects lone surrogates: they have no UTF-8 encoding, so no token sequence could represent them. */
final class WellFormedText {
    private WellFormedText() {
    }

    static void require(String text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format(
                        "text has a lone surrogate U+%04X at index %d; it cannot be encoded as UTF-8", (int) c, i));
            }
        }
    }
}
