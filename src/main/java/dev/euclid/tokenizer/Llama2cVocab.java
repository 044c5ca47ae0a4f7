package dev.euclid.tokenizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The contents of a llama2.c {@code tokenizer.bin}: int32 max_token_length, then per token a
 * float32 score, an int32 length and that many raw bytes, all little-endian. The file does not
 * store the token count; it comes from the model header. Every size is checked against the
 * bytes actually present before anything is allocated from it.
 */
record Llama2cVocab(float[] scores, byte[][] pieces) {
    private static final int ENTRY_HEADER = 8; // score + length

    /**
     * @param source names the file in error messages
     * @throws IllegalArgumentException naming {@code source} and the problem
     */
    static Llama2cVocab parse(byte[] data, int vocabSize, String source) {
        if (vocabSize <= 0) {
            throw problem(source, "vocab size must be positive, got " + vocabSize);
        }
        if (data.length < 4) {
            throw problem(source, "truncated: " + data.length + " bytes, too short for max_token_length");
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int maxTokenLength = in.getInt();
        if (maxTokenLength < 0 || maxTokenLength > data.length) {
            throw problem(source, "max_token_length " + maxTokenLength + " is impossible for a "
                    + data.length + "-byte file");
        }
        if ((long) vocabSize * ENTRY_HEADER > in.remaining()) {
            throw problem(source, "truncated or wrong vocab size: " + vocabSize + " tokens need at least "
                    + (long) vocabSize * ENTRY_HEADER + " bytes after the header, the file has " + in.remaining());
        }
        float[] scores = new float[vocabSize];
        byte[][] pieces = new byte[vocabSize][];
        for (int id = 0; id < vocabSize; id++) {
            if (in.remaining() < ENTRY_HEADER) {
                throw problem(source, "truncated at token " + id + " of " + vocabSize
                        + " (offset " + in.position() + ")");
            }
            scores[id] = in.getFloat();
            int length = in.getInt();
            if (length < 0 || length > maxTokenLength) {
                throw problem(source, "token " + id + " has length " + length + " outside 0.."
                        + maxTokenLength + " (max_token_length) at offset " + (in.position() - 4));
            }
            if (length > in.remaining()) {
                throw problem(source, "truncated inside token " + id + ": needs " + length
                        + " bytes, " + in.remaining() + " left");
            }
            pieces[id] = new byte[length];
            in.get(pieces[id]);
        }
        if (in.hasRemaining()) {
            throw problem(source, in.remaining() + " unexpected bytes after token " + (vocabSize - 1)
                    + "; does the vocab size " + vocabSize + " match this tokenizer?");
        }
        return new Llama2cVocab(scores, pieces);
    }

    /**
     * The number of tokens in a tokenizer.bin read on its own, without a model header: entries are
     * walked to the end of the data, which must end exactly after the last one.
     */
    static int countTokens(byte[] data, String source) {
        if (data.length < 4) {
            throw problem(source, "truncated: " + data.length + " bytes, too short for max_token_length");
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        in.getInt();
        int count = 0;
        while (in.hasRemaining()) {
            if (in.remaining() < ENTRY_HEADER) {
                throw problem(source, "truncated at token " + count + " (offset " + in.position() + ")");
            }
            in.getFloat();
            int length = in.getInt();
            if (length < 0 || length > in.remaining()) {
                throw problem(source, "token " + count + " has length " + length + ", but " + in.remaining()
                        + " bytes are left at offset " + (in.position() - 4) + "; is this a llama2.c tokenizer.bin?");
            }
            in.position(in.position() + length);
            count++;
        }
        return count;
    }

    private static IllegalArgumentException problem(String source, String message) {
        return new IllegalArgumentException("llama2.c tokenizer " + source + ": " + message);
    }
}
