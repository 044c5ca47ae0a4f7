package dev.euclid;

/** Incremental detokenizer: holds back the bytes of an incomplete UTF-8 sequence until it completes. Not thread-safe. */
public interface TextDecoder {
    /** Text newly completed by this token ("" if it ends inside a multi-byte character). */
    String next(int tokenId);

    /** Whatever is held back, malformed bytes replaced by U+FFFD. */
    String flush();
}
