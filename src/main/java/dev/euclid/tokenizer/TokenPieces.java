package dev.euclid.tokenizer;

/** The bytes one token contributes to text, which may depend on the token before it. */
@FunctionalInterface
interface TokenPieces {
    /**
     * @param previousId the token before {@code id}, or -1 at the start of text (already checked)
     * @param id the token to render; implementations check its range
     */
    byte[] piece(int previousId, int id);
}
