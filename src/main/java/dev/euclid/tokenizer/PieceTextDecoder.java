package dev.euclid.tokenizer;

import dev.euclid.TextDecoder;

/**
 * Streaming detokenizer over a tokenizer's pieces. Whole-sequence decoding runs through the same
 * class so that streaming and one-shot decoding can never disagree.
 */
final class PieceTextDecoder implements TextDecoder {
    private final TokenPieces pieces;
    private final Utf8Accumulator utf8 = new Utf8Accumulator();
    private int previousId;

    PieceTextDecoder(TokenPieces pieces, int previousId) {
        this.pieces = pieces;
        this.previousId = previousId;
    }

    static String decodeAll(TokenPieces pieces, int[] ids, int previousId) {
        PieceTextDecoder decoder = new PieceTextDecoder(pieces, previousId);
        StringBuilder text = new StringBuilder();
        for (int id : ids) {
            text.append(decoder.next(id));
        }
        return text.append(decoder.flush()).toString();
    }

    @Override
    public String next(int tokenId) {
        byte[] bytes = pieces.piece(previousId, tokenId);
        previousId = tokenId;
        return utf8.append(bytes);
    }

    @Override
    public String flush() {
        return utf8.flush();
    }
}
