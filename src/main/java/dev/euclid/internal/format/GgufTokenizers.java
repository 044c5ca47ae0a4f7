package dev.euclid.internal.format;

import dev.euclid.ModelFormatException;
import dev.euclid.internal.TokenizerSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns a GGUF's {@code tokenizer.ggml.*} metadata into the bytes of a tokenizer Euclid already
 * implements: a llama2.c {@code tokenizer.bin} for SentencePiece vocabularies ("llama"), or a
 * {@code tokenizer.json} for byte-level BPE ("gpt2", see {@link GgufBpeJson}). Where the file asks
 * for behaviour those tokenizers do not have, it is refused rather than tokenized differently.
 */
final class GgufTokenizers {
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String TYPES = "tokenizer.ggml.token_type";
    /** llama.cpp's token types. */
    static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5;
    /** run.c only merges pieces scoring above -1e10: this keeps control and unused tokens out of encoded text. */
    private static final float NEVER_MERGED = Float.NEGATIVE_INFINITY;
    private static final int LLAMA2C_BOS = 1, LLAMA2C_EOS = 2, LLAMA2C_FIRST_BYTE = 3;

    private GgufTokenizers() {}

    static TokenizerSource source(GgufFile gguf) {
        String model = gguf.metadata().string("tokenizer.ggml.model");
        String origin = gguf.file() + " (tokenizer.ggml metadata)";
        return switch (model) {
            case "llama" -> {
                byte[] bin = llama2cBytes(gguf);
                yield new TokenizerSource(TokenizerSource.Kind.LLAMA2C, bin, null,
                        (int) gguf.metadata().arrayLength(TOKENS), origin);
            }
            case "gpt2" -> {
                GgufBpeJson json = GgufBpeJson.of(gguf);
                yield new TokenizerSource(TokenizerSource.Kind.HF_JSON, json.tokenizerJson(), json.tokenizerConfigJson(),
                        (int) gguf.metadata().arrayLength(TOKENS), origin);
            }
            default -> throw problem(gguf, "tokenizer.ggml.model '" + model + "' is not supported (llama, gpt2)");
        };
    }

    /**
     * A llama2.c tokenizer.bin: int32 max_token_length, then per token float32 score, int32
     * length and the bytes, with SentencePiece's U+2581 turned back into the space llama2.c's
     * pieces have. Llama2cTokenizer hard-codes run.c's layout (BOS 1, EOS 2, byte b at id 3 + b,
     * BOS always added, dummy-prefix space), so a vocabulary laid out otherwise is refused.
     */
    private static byte[] llama2cBytes(GgufFile gguf) {
        GgufMetadata m = gguf.metadata();
        byte[][] tokens = m.stringArrayBytes(TOKENS);
        float[] scores = m.floatArray("tokenizer.ggml.scores");
        int[] types = m.has(TYPES) ? m.intArray(TYPES) : null;
        if (scores.length != tokens.length || (types != null && types.length != tokens.length)) {
            throw problem(gguf, TOKENS + ", tokenizer.ggml.scores and " + TYPES + " differ in length");
        }
        int bos = (int) m.integer("tokenizer.ggml.bos_token_id", LLAMA2C_BOS);
        int eos = (int) m.integer("tokenizer.ggml.eos_token_id", LLAMA2C_EOS);
        if (bos != LLAMA2C_BOS || eos != LLAMA2C_EOS || !hasByteTokensAtThree(tokens)) {
            throw problem(gguf, "this SentencePiece vocabulary (bos " + bos + ", eos " + eos + ") is not laid out as"
                    + " Euclid's llama tokenizer needs: BOS 1, EOS 2 and <0x00>..<0xFF> at ids 3..258");
        }
        if (!m.bool("tokenizer.ggml.add_bos_token", true) || m.bool("tokenizer.ggml.add_eos_token", false)
                || !m.bool("tokenizer.ggml.add_space_prefix", true)) {
            throw problem(gguf, "the llama tokenizer always adds BOS and a leading space and never EOS;"
                    + " this file's add_bos_token/add_eos_token/add_space_prefix ask otherwise");
        }
        int maxLength = 0;
        long total = 4;
        byte[][] pieces = new byte[tokens.length][];
        for (int id = 0; id < tokens.length; id++) {
            int type = types == null ? NORMAL : types[id];
            if (type == USER_DEFINED) {
                throw problem(gguf, "user-defined token " + id + " is not supported by the llama tokenizer");
            }
            pieces[id] = spacesFromSentencePiece(tokens[id]);
            maxLength = Math.max(maxLength, pieces[id].length);
            total += 8 + pieces[id].length; // pieces came from a bounded metadata array
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(maxLength);
        for (int id = 0; id < tokens.length; id++) {
            int type = types == null ? NORMAL : types[id];
            boolean textual = type != CONTROL && type != UNKNOWN && type != UNUSED;
            out.putFloat(textual ? scores[id] : NEVER_MERGED).putInt(pieces[id].length).put(pieces[id]);
        }
        return out.array();
    }

    private static boolean hasByteTokensAtThree(byte[][] tokens) {
        if (tokens.length < LLAMA2C_FIRST_BYTE + 256) return false;
        for (int b = 0; b < 256; b++) {
            String expected = String.format("<0x%02X>", b);
            if (!expected.equals(new String(tokens[LLAMA2C_FIRST_BYTE + b], StandardCharsets.ISO_8859_1))) return false;
        }
        return true;
    }

    /** Replaces every U+2581 (UTF-8 E2 96 81) with an ASCII space. */
    private static byte[] spacesFromSentencePiece(byte[] token) {
        byte[] out = new byte[token.length];
        int n = 0;
        for (int i = 0; i < token.length; i++) {
            if (i + 2 < token.length && token[i] == (byte) 0xE2 && token[i + 1] == (byte) 0x96 && token[i + 2] == (byte) 0x81) {
                out[n++] = ' ';
                i += 2;
            } else {
                out[n++] = token[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** A token id from metadata, which must name one of the file's tokens. */
    static int tokenId(GgufFile gguf, String key, int vocab) {
        long id = gguf.metadata().integer(key);
        if (id < 0 || id >= vocab) throw problem(gguf, "metadata " + key + " = " + id + " is not a token id (vocab " + vocab + ")");
        return (int) id;
    }

    static ModelFormatException problem(GgufFile gguf, String message) {
        return new ModelFormatException(gguf.file() + ": " + message);
    }
}
