package dev.euclid.tokenizer;
public final class SyntheticTokenizer { public static String byteLevelJson(int v) { throw new UnsupportedOperationException("stub"); } }
