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

    /** Decodes a sequence that follows {@code previousId} (-1 = start of text). */
    String decode(int[] ids, int previousId);

    /** Streaming detokenizer for text generated after {@code previousId} (e.g. the last prompt token; -1 = none). */
    TextDecoder decoder(int previousId);
}
