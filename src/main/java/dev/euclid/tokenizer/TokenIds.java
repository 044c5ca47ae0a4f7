package dev.euclid.tokenizer;

/** Range checks for token ids arriving from callers (they may come from a model of another vocab). */
final class TokenIds {
    private TokenIds() {
    }

    static void require(int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(
                    "token id " + id + " is out of range for vocab size " + vocabSize);
        }
    }

    /** A previous id may also be -1, meaning "start of text". */
    static void requirePrevious(int previousId, int vocabSize) {
        if (previousId != -1 && (previousId < 0 || previousId >= vocabSize)) {
            throw new IllegalArgumentException("previous token id " + previousId
                    + " is out of range for vocab size " + vocabSize + " (use -1 for start of text)");
        }
    }
}
