package dev.euclid;

/** Converts text to token ids and back. Implementations are immutable and thread-safe. */
public interface Tokenizer {
    int vocabSize();

    /** The beginning-of-sequence token, or -1 if the model has none. */
    int bosId();

    /** The end-of-sequence token, or -1 if the model has none. */
    int eosId();

    /** Encodes text as the model expects for a prompt, BOS included when the model adds one. "" gives just BOS. */
    default int[] encode(String text) {
        return encode(text, true);
    }

    /**
     * Encodes text; with {@code addSpecialTokens} false nothing is added around it (Hugging Face's
     * {@code add_special_tokens=False}), which is what text that already holds its special tokens
     * needs, such as a prompt rendered by a chat template.
     */
    int[] encode(String text, boolean addSpecialTokens);

    /** Raw bytes of one token as it appears in text (byte-fallback tokens give their byte). */
    byte[] tokenBytes(int id);

    /**
     * Whether a token marks structure rather than standing for text (BOS, EOS, a Hugging Face added
     * token flagged {@code special}); {@link #decode(int[])} leaves such tokens out.
     */
    default boolean isSpecial(int id) {
        return id == bosId() || id == eosId();
    }

    /**
     * The text of a sequence read from the start of text, special tokens left out (as Hugging Face's
     * {@code decode(ids, skip_special_tokens=True)}): {@code decode(encode("Hello world"))} is
     * {@code "Hello world"}. A special token still counts as the token before the next one, so the
     * space SentencePiece puts before a word is dropped after BOS as it is at the start of text.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    default String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        int previous = -1;
        int from = 0;
        for (int i = 0; i <= ids.length; i++) {
            if (i < ids.length && !isSpecial(ids[i])) continue;
            text.append(decode(java.util.Arrays.copyOfRange(ids, from, i), previous));
            if (i < ids.length) previous = ids[i];
            from = i + 1;
        }
        return text.toString();
    }

    /**
     * Renders every token of a sequence that follows {@code previousId} (-1 = start of text),
     * special tokens included as their pieces (llama2.c's BOS is {@code "\n<s>\n"}), exactly as
     * the streaming {@link #decoder} does: for text after a known token, e.g. a completion after its
     * prompt's last token.
     */
    String decode(int[] ids, int previousId);

    /** Streaming detokenizer for text generated after {@code previousId} (e.g. the last prompt token; -1 = none). */
    TextDecoder decoder(int previousId);
}
